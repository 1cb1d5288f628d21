namespace Legate.Xds.Grpc;

/// <summary>What a mux keeps per resource type whatever its protocol variant: the watches, the last nonce and a pending NACK.</summary>
internal abstract class XdsTypeState
{
    public List<XdsWatch> Watches { get; } = [];

    public string Nonce { get; set; } = string.Empty;

    /// <summary>Set by a NACK; sent once with the next request of the type.</summary>
    public Google.Rpc.Status? Error { get; set; }
}
