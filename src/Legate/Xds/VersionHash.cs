namespace Legate.Xds;

/// <summary>The <c>version</c> gauge of a subscription: xxHash64 of version_info, as Envoy reports it.</summary>
public static class VersionHash
{
    public static long Of(string versionInfo) => unchecked((long)Grpc.XxHash64.Of(versionInfo));
}
