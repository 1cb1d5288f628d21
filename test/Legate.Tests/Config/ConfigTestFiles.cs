using System.Runtime.CompilerServices;

namespace Legate.Tests.Config;

/// <summary>Finds test resources under Config/Resources.</summary>
internal static class ConfigTestFiles
{
    public static string Resource(string name, [CallerFilePath] string sourceFile = "")
    {
        // Prefer a copy in the output directory (if the project copies it); fall back to the source tree.
        var copied = Path.Combine(AppContext.BaseDirectory, "Config", "Resources", name);
        return File.Exists(copied) ? copied : Path.Combine(Path.GetDirectoryName(sourceFile)!, "Resources", name);
    }
}
