using Envoy.Config.Core.V3;
using Legate.Server;

namespace Legate.Xds.Grpc;

/// <summary>
/// The <c>node</c> sent to management servers: the bootstrap node with the --service-node,
/// --service-cluster and --service-zone overrides applied, plus the user agent.
/// </summary>
public static class XdsNode
{
    /// <summary>
    /// Control planes written for Envoy branch on user_agent_name (and some reject unknown agents), so the
    /// name is Envoy's; the version says which proxy this really is.
    /// </summary>
    public const string UserAgentName = "envoy";

    public static Node Build(Node? bootstrapNode, LocalInfo localInfo)
    {
        var node = bootstrapNode?.Clone() ?? new Node();
        if (localInfo.NodeId.Length > 0)
        {
            node.Id = localInfo.NodeId;
        }
        if (localInfo.ClusterName.Length > 0)
        {
            node.Cluster = localInfo.ClusterName;
        }
        if (localInfo.Zone.Length > 0)
        {
            node.Locality ??= new Locality();
            node.Locality.Zone = localInfo.Zone;
        }
        node.UserAgentName = UserAgentName;
        node.UserAgentVersion = LegateVersion.ProgramName + "/" + LegateVersion.Number;
        return node;
    }
}
