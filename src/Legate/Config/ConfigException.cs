namespace Legate.Config;

/// <summary>
/// A configuration error that names where it is: the field path inside the resource
/// (<c>static_resources.clusters[1].lb_policy</c>) and what is wrong with the value there.
/// Startup turns it into exit code 1; a dynamic update turns it into a NACK / update_rejected.
/// </summary>
public sealed class ConfigException : Exception
{
    public ConfigException(string fieldPath, string detail, Exception? inner = null)
        : base(string.IsNullOrEmpty(fieldPath) ? detail : fieldPath + ": " + detail, inner)
    {
        FieldPath = fieldPath;
        Detail = detail;
    }

    /// <summary>Dotted proto field path with indexes, empty for the whole document.</summary>
    public string FieldPath { get; }

    /// <summary>The message without the path.</summary>
    public string Detail { get; }

    /// <summary>The same error, re-rooted under a parent path (e.g. a resource inside a bootstrap).</summary>
    public ConfigException Under(string parentPath) =>
        new(ConfigPath.Join(parentPath, FieldPath), Detail, InnerException);
}
