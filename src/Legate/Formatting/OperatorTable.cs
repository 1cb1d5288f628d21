using System.Net;
using System.Net.Sockets;
using Legate.Config;
using Legate.Http;

namespace Legate.Formatting;

/// <summary>
/// Envoy's command operators by name, each with its syntax and a factory that compiles it. The stream-info
/// accessors are static lambdas, cached by the compiler, so formatting allocates nothing for them.
/// </summary>
internal static class OperatorTable
{
    private delegate FormatOperator Factory(string subcommand, int? maxLength, string path);

    private static readonly Dictionary<string, (CommandSyntax Syntax, Factory Create)> s_operators = Build();

    private static readonly Lazy<string?> s_hostname = new(() =>
    {
        try
        {
            return Dns.GetHostName();
        }
        catch (SocketException)
        {
            return null;
        }
    });

    /// <summary>Compiles <paramref name="command"/>, or returns null when Envoy has no such operator.</summary>
    public static FormatOperator? Create(string command, string subcommand, int? maxLength, string path)
    {
        if (!s_operators.TryGetValue(command, out var entry))
        {
            return null;
        }
        VerifySyntax(entry.Syntax, command, subcommand, maxLength, path);
        return entry.Create(subcommand, maxLength, path);
    }

    private static void VerifySyntax(CommandSyntax syntax, string command, string subcommand, int? maxLength, string path)
    {
        if (syntax == CommandSyntax.CommandOnly && (subcommand.Length != 0 || maxLength.HasValue))
        {
            throw new ConfigException(path, command + " does not take any parameters or length");
        }
        if ((syntax & CommandSyntax.ParamsRequired) != 0 && subcommand.Length == 0)
        {
            throw new ConfigException(path, command + " requires parameters");
        }
        if ((syntax & CommandSyntax.LengthAllowed) == 0 && maxLength.HasValue)
        {
            throw new ConfigException(path, command + " does not allow length to be specified.");
        }
    }

    private static Dictionary<string, (CommandSyntax, Factory)> Build()
    {
        const CommandSyntax Only = CommandSyntax.CommandOnly;
        const CommandSyntax Header = CommandSyntax.ParamsRequired | CommandSyntax.LengthAllowed;
        var t = new Dictionary<string, (CommandSyntax, Factory)>(StringComparer.Ordinal);

        void Simple(string name, FormatOperator op) => t[name] = (Only, (_, _, _) => op);
        void Text(string name, Func<StreamInfo, string?> get) => Simple(name, new StreamInfoStringOperator(get));
        void Number(string name, Func<StreamInfo, long> get) => Simple(name, new StreamInfoNumberOperator(get));
        void Missing(string name, CommandSyntax syntax = CommandSyntax.CommandOnly) => t[name] = (syntax, (_, _, _) => MissingOperator.Instance);
        void Downstream(string name, Func<StreamInfo, IPEndPoint?> get)
        {
            Simple(name, new EndPointOperator(get, AddressPart.WithPort));
            Simple(name + "_WITHOUT_PORT", new EndPointOperator(get, AddressPart.WithoutPort));
        }

        t["REQ"] = t["REQUEST_HEADER"] = (Header, (s, n, p) => HeaderOperator.Create(HeaderSource.Request, s, n, p));
        t["RESP"] = t["RESPONSE_HEADER"] = (Header, (s, n, p) => HeaderOperator.Create(HeaderSource.Response, s, n, p));
        t["TRAILER"] = t["RESPONSE_TRAILER"] = (Header, (s, n, p) => HeaderOperator.Create(HeaderSource.Trailer, s, n, p));
        t["START_TIME"] = (CommandSyntax.ParamsOptional, (s, _, p) => new StartTimeOperator(s.Length == 0 ? null : TimeFormat.Parse(s, p)));
        t["GRPC_STATUS"] = (CommandSyntax.ParamsOptional, (s, _, p) => GrpcStatusOperator.Create(s, p));
        Simple("GRPC_STATUS_NUMBER", GrpcStatusOperator.Number);
        t["ENVIRONMENT"] = (Header, (s, n, _) =>
        {
            var value = Environment.GetEnvironmentVariable(s);
            return new ConstantOperator(value is null ? "-" : value[..Math.Min(value.Length, n ?? int.MaxValue)]);
        }
        );

        Text("PROTOCOL", static si => si.Protocol);
        Number("RESPONSE_CODE", static si => si.ResponseCode);
        Text("RESPONSE_CODE_DETAILS", static si => si.ResponseCodeDetails);
        Text("CONNECTION_TERMINATION_DETAILS", static si => si.ConnectionTerminationDetails);
        Simple("RESPONSE_FLAGS", ResponseFlagsOperator.Short);
        Simple("RESPONSE_FLAGS_LONG", ResponseFlagsOperator.Long);
        Number("BYTES_RECEIVED", static si => si.BytesReceived);
        Number("BYTES_SENT", static si => si.BytesSent);
        Simple("DURATION", DurationOperator.Total);
        Simple("REQUEST_DURATION", DurationOperator.Request);
        Simple("REQUEST_TX_DURATION", DurationOperator.RequestTx);
        Simple("RESPONSE_DURATION", DurationOperator.Response);
        Simple("RESPONSE_TX_DURATION", DurationOperator.ResponseTx);

        Simple("UPSTREAM_HOST", new AddressStringOperator(static si => si.UpstreamHost, AddressPart.WithPort));
        Simple("UPSTREAM_REMOTE_ADDRESS", new AddressStringOperator(static si => si.UpstreamHost, AddressPart.WithPort));
        Simple("UPSTREAM_REMOTE_ADDRESS_WITHOUT_PORT", new AddressStringOperator(static si => si.UpstreamHost, AddressPart.WithoutPort));
        Simple("UPSTREAM_REMOTE_PORT", new AddressStringOperator(static si => si.UpstreamHost, AddressPart.Port));
        Simple("UPSTREAM_LOCAL_ADDRESS", new AddressStringOperator(static si => si.UpstreamLocalAddress, AddressPart.WithPort));
        Simple("UPSTREAM_LOCAL_ADDRESS_WITHOUT_PORT", new AddressStringOperator(static si => si.UpstreamLocalAddress, AddressPart.WithoutPort));
        Simple("UPSTREAM_LOCAL_PORT", new AddressStringOperator(static si => si.UpstreamLocalAddress, AddressPart.Port));
        Text("UPSTREAM_CLUSTER", static si => string.IsNullOrEmpty(si.UpstreamClusterName) ? null : si.UpstreamClusterName);
        Text("UPSTREAM_TRANSPORT_FAILURE_REASON", static si =>
            string.IsNullOrEmpty(si.UpstreamTransportFailureReason) ? null : si.UpstreamTransportFailureReason.Replace(' ', '_'));
        Number("UPSTREAM_REQUEST_ATTEMPT_COUNT", static si => si.UpstreamRequestAttemptCount);

        Downstream("DOWNSTREAM_REMOTE_ADDRESS", static si => si.DownstreamRemoteAddress);
        Downstream("DOWNSTREAM_DIRECT_REMOTE_ADDRESS", static si => si.DownstreamDirectRemoteAddress);
        Downstream("DOWNSTREAM_LOCAL_ADDRESS", static si => si.DownstreamLocalAddress);
        Simple("DOWNSTREAM_REMOTE_PORT", new EndPointOperator(static si => si.DownstreamRemoteAddress, AddressPart.Port));
        Simple("DOWNSTREAM_DIRECT_REMOTE_PORT", new EndPointOperator(static si => si.DownstreamDirectRemoteAddress, AddressPart.Port));
        Simple("DOWNSTREAM_LOCAL_PORT", new EndPointOperator(static si => si.DownstreamLocalAddress, AddressPart.Port));

        Text("REQUESTED_SERVER_NAME", static si => string.IsNullOrEmpty(si.RequestedServerName) ? null : si.RequestedServerName);
        Text("ROUTE_NAME", static si => string.IsNullOrEmpty(si.RouteName) ? null : si.RouteName);
        Text("VIRTUAL_CLUSTER_NAME", static si => si.VirtualClusterName);
        Text("LOCAL_REPLY_BODY", static si => si.LocalReplyBody ?? string.Empty);
        Number("CONNECTION_ID", static si => si.ConnectionId);
        Simple("UNIQUE_ID", UniqueIdOperator.Instance);
        t["HOSTNAME"] = (Only, (_, _, _) => new ConstantOperator(s_hostname.Value));
        t["STREAM_ID"] = (Only, (_, _, p) => HeaderOperator.Create(HeaderSource.Request, "x-request-id", null, p));

        // Known to Envoy, not recorded by Legate yet: accepted, rendered as missing.
        const CommandSyntax Metadata = CommandSyntax.ParamsRequired | CommandSyntax.LengthAllowed;
        const CommandSyntax FilterState = CommandSyntax.ParamsOptional | CommandSyntax.LengthAllowed;
        Missing("DYNAMIC_METADATA", Metadata);
        Missing("CLUSTER_METADATA", Metadata);
        Missing("UPSTREAM_METADATA", Metadata);
        Missing("FILTER_STATE", FilterState);
        Missing("UPSTREAM_FILTER_STATE", FilterState);
        foreach (var name in (ReadOnlySpan<string>)
                 [
                     "DOWNSTREAM_PEER_CERT_V_START", "DOWNSTREAM_PEER_CERT_V_END", "UPSTREAM_PEER_CERT_V_START", "UPSTREAM_PEER_CERT_V_END",
                 ])
        {
            Missing(name, CommandSyntax.ParamsOptional);
        }
        foreach (var name in (ReadOnlySpan<string>)
                 [
                     "DOWNSTREAM_TLS_VERSION", "DOWNSTREAM_TLS_CIPHER", "DOWNSTREAM_TLS_SESSION_ID", "DOWNSTREAM_PEER_URI_SAN",
                     "DOWNSTREAM_PEER_DNS_SAN", "DOWNSTREAM_PEER_IP_SAN", "DOWNSTREAM_LOCAL_URI_SAN", "DOWNSTREAM_LOCAL_DNS_SAN",
                     "DOWNSTREAM_LOCAL_IP_SAN", "DOWNSTREAM_PEER_SUBJECT", "DOWNSTREAM_LOCAL_SUBJECT", "DOWNSTREAM_PEER_ISSUER",
                     "DOWNSTREAM_PEER_CERT", "DOWNSTREAM_PEER_SERIAL", "DOWNSTREAM_PEER_FINGERPRINT_256", "DOWNSTREAM_PEER_FINGERPRINT_1",
                     "DOWNSTREAM_TRANSPORT_FAILURE_REASON", "UPSTREAM_TLS_VERSION", "UPSTREAM_TLS_CIPHER", "UPSTREAM_TLS_SESSION_ID",
                     "UPSTREAM_PEER_SUBJECT", "UPSTREAM_PEER_ISSUER", "UPSTREAM_PEER_CERT", "UPSTREAM_PROTOCOL", "FILTER_CHAIN_NAME",
                     "TRACE_ID", "TLS_JA3_FINGERPRINT",
                 ])
        {
            Missing(name);
        }
        return t;
    }
}
