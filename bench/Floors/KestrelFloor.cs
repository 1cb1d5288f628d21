using System.Buffers;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

/// <summary>
/// The downstream side on a bare KestrelServer (inline scheduling, as legate runs HTTP/1), with a handler
/// that writes the request head from Kestrel's parsed request and copies the upstream's status, headers and
/// body into Kestrel's response: Kestrel's and ASP.NET's share of a proxied request, without Envoy's rules.
/// </summary>
internal static class KestrelFloor
{
    public static async Task RunAsync(IPEndPoint listen, UpstreamPool upstream)
    {
        var options = new KestrelServerOptions { AddServerHeader = false };
        options.ApplicationServices = new ServiceCollection().AddLogging().BuildServiceProvider();
        options.Listen(listen);
        var transport = new SocketTransportOptions { UnsafePreferInlineScheduling = true, NoDelay = true };
        using var server = new KestrelServer(Options.Create(options), new SocketTransportFactory(Options.Create(transport), NullLoggerFactory.Instance), NullLoggerFactory.Instance);
        await server.StartAsync(new Application(upstream), CancellationToken.None);
        await Task.Delay(Timeout.Infinite);
    }

    /// <summary>The handler, shared with <see cref="ContextFloor"/>.</summary>
    internal sealed class Application(UpstreamPool upstream) : IHttpApplication<HttpContext>
    {
        public HttpContext CreateContext(IFeatureCollection contextFeatures) => new DefaultHttpContext(contextFeatures);

        public void DisposeContext(HttpContext context, Exception? exception)
        {
        }

        public async Task ProcessRequestAsync(HttpContext context)
        {
            var head = ArrayPool<byte>.Shared.Rent(8192);
            var response = ArrayPool<byte>.Shared.Rent(64 * 1024);
            try
            {
                var length = WriteHead(head, context.Request);
                var (headLength, body) = await upstream.ExchangeAsync(head.AsMemory(0, length), response);
                CopyHead(response.AsSpan(0, headLength), context.Response);
                await context.Response.BodyWriter.WriteAsync(response.AsMemory(headLength, body));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(head);
                ArrayPool<byte>.Shared.Return(response);
            }
        }

        private static int WriteHead(byte[] destination, HttpRequest request)
        {
            var at = 0;
            at += Encoding.ASCII.GetBytes(request.Method, destination.AsSpan(at));
            destination[at++] = (byte)' ';
            at += Encoding.ASCII.GetBytes(request.Path.Value ?? "/", destination.AsSpan(at));
            at += Encoding.ASCII.GetBytes(request.QueryString.Value ?? string.Empty, destination.AsSpan(at));
            at += Encoding.ASCII.GetBytes(" HTTP/1.1\r\n", destination.AsSpan(at));
            foreach (var header in request.Headers)
            {
                at += Encoding.ASCII.GetBytes(header.Key, destination.AsSpan(at));
                destination[at++] = (byte)':';
                destination[at++] = (byte)' ';
                at += Encoding.ASCII.GetBytes(header.Value.ToString(), destination.AsSpan(at));
                destination[at++] = (byte)'\r';
                destination[at++] = (byte)'\n';
            }
            destination[at++] = (byte)'\r';
            destination[at++] = (byte)'\n';
            return at;
        }

        private static void CopyHead(ReadOnlySpan<byte> head, HttpResponse response)
        {
            var line = head.IndexOf("\r\n"u8);
            response.StatusCode = (head[9] - '0') * 100 + (head[10] - '0') * 10 + (head[11] - '0');
            head = head[(line + 2)..];
            while ((line = head.IndexOf("\r\n"u8)) > 0)
            {
                var colon = head[..line].IndexOf((byte)':');
                var name = Encoding.ASCII.GetString(head[..colon]);
                if (!name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
                {
                    response.Headers.Append(name, Encoding.ASCII.GetString(head[(colon + 1)..line].Trim((byte)' ')));
                }
                head = head[(line + 2)..];
            }
        }
    }
}
