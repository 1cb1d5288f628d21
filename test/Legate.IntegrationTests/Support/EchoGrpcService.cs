using Grpc.Core;
using Legate.IntegrationTests.EchoProto;

namespace Legate.IntegrationTests.Support;

/// <summary>The gRPC upstream: unary echo, server streaming count, bidi chat; every reply names the upstream.</summary>
public sealed class EchoGrpcService(EchoGrpcService.UpstreamName upstream) : Echo.EchoBase
{
    public sealed record UpstreamName(string Value);

    public override Task<GrpcReply> Say(GrpcRequest request, ServerCallContext context)
    {
        context.ResponseTrailers.Add("x-echo-trailer", "said");
        return Task.FromResult(new GrpcReply { Text = request.Text, Upstream = upstream.Value });
    }

    public override async Task Count(CountRequest request, IServerStreamWriter<GrpcReply> responseStream, ServerCallContext context)
    {
        for (var i = 1; i <= request.N; i++)
        {
            await responseStream.WriteAsync(new GrpcReply { Text = i.ToString(System.Globalization.CultureInfo.InvariantCulture), Upstream = upstream.Value });
        }
        context.ResponseTrailers.Add("x-echo-trailer", "counted");
    }

    public override async Task Chat(IAsyncStreamReader<GrpcRequest> requestStream, IServerStreamWriter<GrpcReply> responseStream, ServerCallContext context)
    {
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
        {
            await responseStream.WriteAsync(new GrpcReply { Text = "re:" + request.Text, Upstream = upstream.Value });
        }
    }
}
