using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Google.Protobuf;
using Legate.Http;
using Legate.IntegrationTests.Http1Upstream;
using Legate.IntegrationTests.Support;
using ExtensionRegistry = Legate.Extensions.ExtensionRegistry;

namespace Legate.IntegrationTests;

/// <summary>
/// The connection manager's request_timeout: how long the downstream may take to send its whole request. A body
/// that stalls or trickles in past it gets Envoy's 408 <c>request timeout</c> (never the upstream's 504) and the
/// upstream request is abandoned; a request received in full, or one without a body, is not timed out however
/// long the upstream then takes.
/// </summary>
public sealed class RequestTimeoutTests
{
    private const string RequestTimeoutCounter = "http.ingress_http.downstream_rq_timeout";
    private const string ResponseBeforeRequestCounter = "http.ingress_http.downstream_rq_response_before_rq_complete";
    private const string Ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    // The upstream's answer comes this long after the request: past the 0.5 s request_timeout.
    private static readonly TimeSpan s_slowUpstream = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Http1_body_that_stalls_gets_408_request_timeout_and_the_upstream_request_is_abandoned()
    {
        var upstreamSaw = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = RawUpstream.Start(connection => RecordOneAsync(connection, upstreamSaw));
        using var dir = new TempDir();
        var log = dir.File("access.log");
        await using var legate = await StartAsync(upstream.Port, "request_timeout: 0.5s", logPath: log);

        using var client = await ConnectAsync(legate);
        await SendAsync(client, "POST /upload HTTP/1.1\r\nHost: example.com\r\nContent-Length: 10\r\n\r\nhello");
        var response = await ReadResponseAsync(client);

        Assert.Equal(408, response.Status);
        Assert.Equal("request timeout", response.Body);
        Assert.Equal("text/plain", response.Header("content-type"));
        Assert.Equal("15", response.Header("content-length"));
        // The rest of the body would be read as the next request: as Envoy, the connection closes after the reply.
        Assert.Equal("close", response.Header("connection"));
        Assert.True(await ClosedAsync(client), "the connection stayed open after the 408");
        Assert.StartsWith("aborted", await upstreamSaw.Task.WaitAsync(s_wait), StringComparison.Ordinal);
        await legate.AssertCounterAsync(RequestTimeoutCounter, 1);
        await legate.AssertCounterAsync(ResponseBeforeRequestCounter, 1);
        Assert.Equal(0, legate.Counter("cluster.raw.upstream_rq_timeout"));
        Assert.Equal("408 - request_overall_timeout", await Http1Legate.LastLogLineAsync(log));
    }

    [Fact]
    public async Task Http1_body_trickling_in_slower_than_the_timeout_gets_408()
    {
        await using var upstream = RawUpstream.Start(connection => RecordOneAsync(connection, new TaskCompletionSource<string>()));
        await using var legate = await StartAsync(upstream.Port, "request_timeout: 0.5s");

        using var client = await ConnectAsync(legate);
        await SendAsync(client, "POST /upload HTTP/1.1\r\nHost: example.com\r\nContent-Length: 100\r\n\r\n");
        var response = ReadResponseAsync(client);
        // One byte every 100 ms: the body never pauses long, but the whole of it would take 10 s.
        for (var i = 0; i < 100 && !response.IsCompleted; i++)
        {
            await SendAsync(client, "x");
            await Task.WhenAny(response, Task.Delay(100));
        }

        Assert.Equal(408, (await response).Status);
        Assert.Equal("request timeout", (await response).Body);
        await legate.AssertCounterAsync(RequestTimeoutCounter, 1);
    }

    [Fact]
    public async Task Http2_body_that_stalls_gets_408_request_timeout_and_the_upstream_request_is_abandoned()
    {
        var upstreamSaw = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = RawUpstream.Start(connection => RecordOneAsync(connection, upstreamSaw));
        await using var legate = await StartAsync(upstream.Port, "request_timeout: 0.5s");
        using var content = new StalledContent();

        using var response = await legate.CreateClient(HttpVersion.Version20).PostAsync("/upload", content).WaitAsync(s_wait);

        Assert.Equal(HttpStatusCode.RequestTimeout, response.StatusCode);
        Assert.Equal("request timeout", await response.Content.ReadAsStringAsync());
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.False(response.Headers.Contains("connection"));
        Assert.StartsWith("aborted", await upstreamSaw.Task.WaitAsync(s_wait), StringComparison.Ordinal);
        await legate.AssertCounterAsync(RequestTimeoutCounter, 1);
        await legate.AssertCounterAsync(ResponseBeforeRequestCounter, 1);
        Assert.Equal(0, legate.Counter("cluster.raw.upstream_rq_timeout"));
    }

    [Fact]
    public async Task Stalled_body_to_an_http2_upstream_gets_408_and_the_upstream_request_is_cancelled()
    {
        await using var upstream = await TestUpstream.StartAsync("h2", UpstreamProtocol.Http2);
        await using var legate = await StartAsync(upstream.Port, "request_timeout: 0.5s", clusterExtra: ConfigYaml.H2ProtocolOptions);
        using var content = new StalledContent();

        using var response = await legate.CreateClient(HttpVersion.Version20).PostAsync("/upload", content).WaitAsync(s_wait);

        Assert.Equal(HttpStatusCode.RequestTimeout, response.StatusCode);
        Assert.Equal("request timeout", await response.Content.ReadAsStringAsync());
        await upstream.RequestBodyAborted.WaitAsync(s_wait);
        await legate.AssertCounterAsync(RequestTimeoutCounter, 1);
        Assert.Equal(0, legate.Counter("cluster.raw.upstream_rq_timeout"));
    }

    [Fact]
    public async Task Grpc_request_whose_body_stalls_gets_the_timeout_as_grpc_status()
    {
        await using var upstream = await TestUpstream.StartAsync("h2", UpstreamProtocol.Http2);
        await using var legate = await StartAsync(upstream.Port, "request_timeout: 0.5s", clusterExtra: ConfigYaml.H2ProtocolOptions);
        using var content = new StalledContent();
        content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");

        using var response = await legate.CreateClient(HttpVersion.Version20).PostAsync("/echo.Echo/Say", content).WaitAsync(s_wait);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/grpc", response.Content.Headers.ContentType?.MediaType);
        // Envoy maps a local reply's 408 to UNKNOWN.
        Assert.Equal("2", Assert.Single(response.Headers.GetValues("grpc-status")));
        Assert.Equal("request%20timeout", Assert.Single(response.Headers.GetValues("grpc-message")));
        await legate.AssertCounterAsync(RequestTimeoutCounter, 1);
    }

    [Fact]
    public async Task Stalled_body_is_not_retried_under_a_retry_policy()
    {
        var upstreamSaw = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = RawUpstream.Start(connection => RecordOneAsync(connection, upstreamSaw));
        var retry = "retry_policy: { retry_on: \"reset,connect-failure,5xx\", num_retries: 3 }";
        await using var legate = await LegateHost.StartAsync(ConfigYaml.Bootstrap(
            ConfigYaml.CatchAll("raw", retry), [ConfigYaml.StaticCluster("raw", upstream.Port)], hcmExtra: "request_timeout: 0.5s"));

        using var client = await ConnectAsync(legate);
        await SendAsync(client, "POST /upload HTTP/1.1\r\nHost: example.com\r\nContent-Length: 10\r\n\r\nhello");
        var response = await ReadResponseAsync(client);

        Assert.Equal(408, response.Status);
        Assert.Equal("request timeout", response.Body);
        Assert.StartsWith("aborted", await upstreamSaw.Task.WaitAsync(s_wait), StringComparison.Ordinal);
        await legate.AssertCounterAsync(RequestTimeoutCounter, 1);
        Assert.Equal(0, legate.Counter("cluster.raw.upstream_rq_retry"));
        Assert.Equal(1, upstream.Connections);
    }

    [Fact]
    public async Task Websocket_outlives_the_timeout_once_the_upgrade_is_answered()
    {
        await using var upstream = await TestUpstream.StartAsync("ws");
        await using var legate = await LegateHost.StartAsync(ConfigYaml.Bootstrap(
            ConfigYaml.CatchAll("ws"), [ConfigYaml.StaticCluster("ws", upstream.Port)],
            hcmExtra: "request_timeout: 0.5s\nupgrade_configs: [{ upgrade_type: websocket }]"));
        using var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(s_wait);

        await socket.ConnectAsync(new Uri("ws://127.0.0.1:" + legate.Port.ToString(CultureInfo.InvariantCulture) + "/ws"), timeout.Token);
        // The tunnel stays quiet past request_timeout: the 101 disarmed it.
        await Task.Delay(s_slowUpstream, timeout.Token);
        await socket.SendAsync("hello"u8.ToArray(), WebSocketMessageType.Text, true, timeout.Token);
        var buffer = new byte[64];
        var received = await socket.ReceiveAsync(buffer, timeout.Token);

        Assert.Equal("hello", Encoding.UTF8.GetString(buffer, 0, received.Count));
        Assert.Equal(0, legate.Counter(RequestTimeoutCounter));
    }

    [Fact]
    public async Task Websocket_upgrade_the_upstream_does_not_answer_in_time_gets_408()
    {
        await using var upstream = await TestUpstream.StartAsync("ws");
        await using var legate = await LegateHost.StartAsync(ConfigYaml.Bootstrap(
            ConfigYaml.CatchAll("ws"), [ConfigYaml.StaticCluster("ws", upstream.Port)],
            hcmExtra: "request_timeout: 0.5s\nupgrade_configs: [{ upgrade_type: websocket }]"));
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(
            new Uri("ws://127.0.0.1:" + legate.Port.ToString(CultureInfo.InvariantCulture) + "/never"), CancellationToken.None).WaitAsync(s_wait));

        Assert.Equal(HttpStatusCode.RequestTimeout, socket.HttpStatusCode);
        await legate.AssertCounterAsync(RequestTimeoutCounter, 1);
    }

    [Theory]
    [InlineData("1.1")]
    [InlineData("2.0")]
    public async Task Body_received_in_time_is_not_timed_out_while_the_upstream_takes_longer(string version)
    {
        await using var upstream = SlowUpstream();
        await using var legate = await StartAsync(upstream.Port, "request_timeout: 1s");

        using var response = await legate.CreateClient(Version.Parse(version)).PostAsync("/upload", new StringContent("hello")).WaitAsync(s_wait);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, legate.Counter(RequestTimeoutCounter));
        upstream.AssertNoFaults();
    }

    [Theory]
    [InlineData("1.1")]
    [InlineData("2.0")]
    public async Task Bodiless_request_is_not_timed_out_while_the_upstream_takes_longer(string version)
    {
        await using var upstream = SlowUpstream();
        await using var legate = await StartAsync(upstream.Port, "request_timeout: 1s");

        using var response = await legate.CreateClient(Version.Parse(version)).GetAsync("/slow").WaitAsync(s_wait);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, legate.Counter(RequestTimeoutCounter));
        upstream.AssertNoFaults();
    }

    [Fact]
    public async Task Zero_request_timeout_is_disabled()
    {
        await using var upstream = RawUpstream.KeepAlive(Ok);
        await using var legate = await StartAsync(upstream.Port, "request_timeout: 0s");

        using var client = await ConnectAsync(legate);
        await SendAsync(client, "POST /upload HTTP/1.1\r\nHost: example.com\r\nContent-Length: 10\r\n\r\nhello");
        // A pause in the body: a timer armed with no time at all would have fired by now.
        await Task.Delay(300);
        await SendAsync(client, "world");
        var response = await ReadResponseAsync(client);

        Assert.Equal(200, response.Status);
        Assert.Equal("ok", response.Body);
        Assert.Equal(0, legate.Counter(RequestTimeoutCounter));
        upstream.AssertNoFaults();
    }

    [Fact]
    public async Task Filter_that_reads_the_body_itself_is_stopped_and_the_request_gets_408()
    {
        await using var upstream = RawUpstream.KeepAlive(Ok);
        var extensions = ExtensionRegistry.CreateDefault();
        extensions.Register(new BodyReadingFilterFactory());
        var yaml = Bootstrap(upstream.Port, "request_timeout: 0.5s", string.Empty, null);
        const string filters = "          http_filters:\n";
        Assert.Contains(filters, yaml, StringComparison.Ordinal);
        yaml = yaml.Replace(filters, filters + "          - name: test.read_body\n", StringComparison.Ordinal);
        await using var legate = await LegateHost.StartAsync(yaml, extensions: extensions);

        using var client = await ConnectAsync(legate);
        await SendAsync(client, "POST /upload HTTP/1.1\r\nHost: example.com\r\nContent-Length: 10\r\n\r\nhello");
        var response = await ReadResponseAsync(client);

        Assert.Equal(408, response.Status);
        Assert.Equal("request timeout", response.Body);
        await legate.AssertCounterAsync(RequestTimeoutCounter, 1);
        Assert.Equal(0, upstream.Connections);
    }

    private static Task<LegateHost> StartAsync(int upstreamPort, string hcm, string clusterExtra = "", string? logPath = null) =>
        LegateHost.StartAsync(Bootstrap(upstreamPort, hcm, clusterExtra, logPath), fileFlushInterval: TimeSpan.FromMilliseconds(50));

    private static string Bootstrap(int upstreamPort, string hcm, string clusterExtra, string? logPath)
    {
        if (logPath is not null)
        {
            hcm += "\naccess_log:\n- name: envoy.access_loggers.file\n  typed_config:\n"
                + "    \"@type\": type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog\n"
                + "    path: \"" + logPath + "\"\n"
                + "    log_format: { text_format_source: { inline_string: \"%RESPONSE_CODE% %RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS%\\n\" } }\n";
        }
        return ConfigYaml.Bootstrap(ConfigYaml.CatchAll("raw"), [ConfigYaml.StaticCluster("raw", upstreamPort, clusterExtra)], hcmExtra: hcm);
    }

    /// <summary>Answers each request once it has it whole, but only after <see cref="s_slowUpstream"/>.</summary>
    private static RawUpstream SlowUpstream() => RawUpstream.Start(async connection =>
    {
        while (await connection.ReadRequestAsync() is not null)
        {
            await Task.Delay(s_slowUpstream);
            await connection.SendAsync(Ok);
        }
    });

    /// <summary>Reads one request and tells how it ended: completed, or aborted by the proxy midway.</summary>
    private static async Task RecordOneAsync(RawConnection connection, TaskCompletionSource<string> outcome)
    {
        try
        {
            var request = await connection.ReadRequestAsync();
            outcome.TrySetResult(request is null ? "closed before a request" : "completed with " + request.Body.Length + " body bytes");
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            outcome.TrySetResult("aborted: " + e.Message);
        }
    }

    private static Task<TcpClient> ConnectAsync(LegateHost legate) => RawDownstream.ConnectAsync(legate.Port);

    private static Task<bool> ClosedAsync(TcpClient client) => RawDownstream.ClosedAsync(client);

    private static Task SendAsync(TcpClient client, string latin1) => RawDownstream.SendAsync(client, latin1);

    private static Task<RawResponse> ReadResponseAsync(TcpClient client) => RawDownstream.ReadResponseAsync(client);

    /// <summary>A request body of unknown length that sends its first bytes and then nothing until the request is cancelled.</summary>
    private sealed class StalledContent : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            await stream.WriteAsync("hello"u8.ToArray(), cancellationToken);
            await stream.FlushAsync(cancellationToken);
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    /// <summary>Reads the whole request body before the router sees the request, as a buffering filter would.</summary>
    private sealed class BodyReadingFilter : IHttpFilter
    {
        public async ValueTask<FilterStatus> OnRequestAsync(HttpStream stream)
        {
            await stream.Context.Request.Body.CopyToAsync(Stream.Null);
            return FilterStatus.Continue;
        }
    }

    private sealed class BodyReadingFilterFactory : IHttpFilterFactory
    {
        public string Name => "test.read_body";

        public string Category => "envoy.filters.http";

        public string ConfigTypeName => "test.read_body.Config";

        public MessageParser ConfigParser => Google.Protobuf.WellKnownTypes.Empty.Parser;

        public bool IsTerminal => false;

        public IHttpFilter Create(IMessage config, HttpFilterContext context, string path) => new BodyReadingFilter();
    }
}
