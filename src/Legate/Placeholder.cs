namespace Legate; internal static class Placeholder { }
