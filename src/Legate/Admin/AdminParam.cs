namespace Legate.Admin;

/// <summary>A documented query parameter of an admin endpoint (a /help line).</summary>
public sealed record AdminParam(string Name, string Help, IReadOnlyList<string>? Choices = null);
