using System.Text.Json;

namespace Legate.IntegrationTests.XdsInterop;

/// <summary>One line of the interop server's log (see test/xds-interop/server.js for the fields).</summary>
internal sealed record XdsLogEntry(
    string Event,
    string? Kind,
    string? TypeUrl,
    string? VersionInfo,
    string? ErrorMessage,
    string? NodeId,
    string Raw)
{
    public static XdsLogEntry Parse(string line)
    {
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        string? error = null;
        if (root.TryGetProperty("error_detail", out var detail) && detail.ValueKind == JsonValueKind.Object)
        {
            error = Text(detail, "message") ?? string.Empty;
        }
        string? nodeId = null;
        if (root.TryGetProperty("node", out var node) && node.ValueKind == JsonValueKind.Object)
        {
            nodeId = Text(node, "id");
        }
        return new XdsLogEntry(
            Text(root, "event") ?? string.Empty,
            Text(root, "kind"),
            Text(root, "type_url"),
            Text(root, "version_info"),
            error,
            nodeId,
            line);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
