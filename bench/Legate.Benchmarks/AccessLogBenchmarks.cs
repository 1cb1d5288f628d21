using System.Diagnostics;
using System.Net;
using System.Text;
using BenchmarkDotNet.Attributes;
using Legate.AccessLog;
using Legate.Formatting;
using Legate.Http;
using Microsoft.AspNetCore.Http;

namespace Legate.Benchmarks;

/// <summary>Envoy's default access log line for one proxied request, into a reused builder and as a new string.</summary>
[MemoryDiagnoser]
public class AccessLogBenchmarks
{
    private readonly StringBuilder _output = new(512);
    private ISubstitutionFormatter _formatter = null!;
    private FormatContext _context;

    [GlobalSetup]
    public void Setup()
    {
        _formatter = SubstitutionFormatter.Parse(AccessLogFormats.Default, "access_log");
        var start = Stopwatch.GetTimestamp();
        var streamInfo = new StreamInfo
        {
            StartTime = DateTimeOffset.UtcNow,
            StartTimestamp = start,
            Protocol = "HTTP/1.1",
            ResponseCode = 200,
            BytesReceived = 0,
            BytesSent = 30,
            CompleteTimestamp = start + Stopwatch.Frequency / 1000,
            FirstUpstreamTxByteTimestamp = start + 10,
            LastUpstreamRxByteTimestamp = start + Stopwatch.Frequency / 2000,
            DownstreamRemoteAddress = new IPEndPoint(IPAddress.Loopback, 40000),
            UpstreamHost = "127.0.0.1:18080",
            UpstreamClusterName = "bench_upstream",
        };
        var requestHeaders = new HeaderDictionary
        {
            ["user-agent"] = "wrk/4.1",
            ["x-forwarded-for"] = "10.0.0.1",
            ["x-request-id"] = "5b6f3c2e-8a4d-4c21-9e0f-0123456789ab",
        };
        var responseHeaders = new HeaderDictionary { ["x-envoy-upstream-service-time"] = "1" };
        _context = new FormatContext(streamInfo, requestHeaders, responseHeaders)
        {
            Request = new RequestLine("GET", "/index.html", "bench.local", "http"),
        };
    }

    [Benchmark(Baseline = true)]
    public int DefaultFormatIntoBuilder()
    {
        _output.Clear();
        _formatter.Format(_context, _output);
        return _output.Length;
    }

    [Benchmark]
    public string DefaultFormatToString() => _formatter.Format(_context);
}
