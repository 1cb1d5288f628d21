namespace Legate.Xds;

/// <summary>
/// Creates the gRPC subscription provider when one is compiled in. The gRPC client lives in Xds/Grpc/
/// and completes the partial method <c>CreateCore</c>; until it does, gRPC config sources are rejected
/// with a clear error. (A partial method keeps both halves compiling independently, with no reflection.)
/// </summary>
public static partial class GrpcSubscriptionProviders
{
    public static IGrpcSubscriptionProvider? Create(XdsServices services)
    {
        IGrpcSubscriptionProvider? provider = null;
        CreateCore(services, ref provider);
        return provider;
    }

    static partial void CreateCore(XdsServices services, ref IGrpcSubscriptionProvider? provider);
}
