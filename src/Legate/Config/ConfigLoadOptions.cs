namespace Legate.Config;

/// <summary>How strictly a config document is read.</summary>
public sealed class ConfigLoadOptions
{
    /// <summary>Unknown fields are an error (Envoy's default for the bootstrap).</summary>
    public static ConfigLoadOptions Strict { get; } = new();

    /// <summary>
    /// Drop unknown fields instead of failing (<c>--allow-unknown-static-fields</c> for the bootstrap;
    /// the default for xDS resources unless <c>--reject-unknown-dynamic-fields</c>).
    /// </summary>
    public bool AllowUnknownFields { get; init; }

    /// <summary>
    /// Called with the field path of every dropped unknown field when <see cref="AllowUnknownFields"/> is set
    /// (the caller logs a warning and counts <c>server.static_unknown_fields</c> / <c>dynamic_unknown_fields</c>).
    /// </summary>
    public Action<string>? OnUnknownField { get; init; }
}
