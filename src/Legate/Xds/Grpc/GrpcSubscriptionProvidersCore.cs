using Legate.Xds.Grpc;

namespace Legate.Xds;

/// <summary>Plugs the gRPC xDS client into <see cref="GrpcSubscriptionProviders"/>.</summary>
public static partial class GrpcSubscriptionProviders
{
    static partial void CreateCore(XdsServices services, ref IGrpcSubscriptionProvider? provider) =>
        provider = new GrpcSubscriptionProvider(services);
}
