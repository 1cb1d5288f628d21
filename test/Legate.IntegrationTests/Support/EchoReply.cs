using System.Text.Json;
using System.Text.Json.Serialization;

namespace Legate.IntegrationTests.Support;

/// <summary>What a <see cref="TestUpstream"/> saw of one request; sent back to the client as JSON.</summary>
public sealed class EchoReply
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    [JsonPropertyName("upstream")]
    public string Upstream { get; set; } = string.Empty;

    [JsonPropertyName("method")]
    public string Method { get; set; } = string.Empty;

    [JsonPropertyName("path")]
    public string Path { get; set; } = string.Empty;

    [JsonPropertyName("protocol")]
    public string Protocol { get; set; } = string.Empty;

    [JsonPropertyName("host")]
    public string Host { get; set; } = string.Empty;

    [JsonPropertyName("headers")]
    public Dictionary<string, string> Headers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    [JsonPropertyName("body")]
    public string Body { get; set; } = string.Empty;

    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;

    public static async Task<EchoReply> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        try
        {
            var reply = JsonSerializer.Deserialize<EchoReply>(text, JsonOptions)
                ?? throw new InvalidOperationException("empty echo reply");
            reply.Headers = new Dictionary<string, string>(reply.Headers, StringComparer.OrdinalIgnoreCase);
            return reply;
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"not an echo reply (status {(int)response.StatusCode}): {text}", ex);
        }
    }
}
