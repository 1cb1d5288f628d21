using Envoy.Config.Core.V3;
using Envoy.Extensions.AccessLoggers.File.V3;
using Envoy.Extensions.AccessLoggers.Stream.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Legate.AccessLog;
using Legate.Config;
using ExtensionRegistry = Legate.Extensions.ExtensionRegistry;
using Legate.Formatting;
using Legate.Tests.Formatting;
using Microsoft.Extensions.Logging.Abstractions;
using Proto = Envoy.Config.Accesslog.V3;

namespace Legate.Tests.AccessLog;

public sealed class FileAccessLoggerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("legate-accesslog-").FullName;
    private readonly AccessLogContext _context = new(NullLoggerFactory.Instance, TimeSpan.FromMinutes(10));
    private readonly ExtensionRegistry _registry = new();

    public FileAccessLoggerTests() => AccessLogRegistration.RegisterAll(_registry);

    public void Dispose()
    {
        AccessLogFileManager.For(_context).Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private string LogPath => Path.Combine(_dir, "access.log");

    private IAccessLogger BuildOne(IMessage typedConfig, Proto.AccessLogFilter? filter = null) =>
        AccessLogBuilder.Build([new Proto.AccessLog { Name = "x", TypedConfig = Any.Pack(typedConfig), Filter = filter }], _registry, _context, "access_log")
            .Single();

    private string[] Flushed()
    {
        AccessLogFileManager.For(_context).FlushAll();
        return File.ReadAllLines(LogPath);
    }

    [Fact]
    public void WritesDefaultFormatLinesOnFlush()
    {
        var logger = BuildOne(new FileAccessLog { Path = LogPath });

        logger.Log(TestStreams.Context());
        logger.Log(TestStreams.Context());

        Assert.Equal(0, new FileInfo(LogPath).Length);
        var lines = Flushed();
        Assert.Equal(2, lines.Length);
        Assert.Equal(AccessLogFormats.DefaultFormatter.Format(TestStreams.Context()).TrimEnd('\n'), lines[0]);
    }

    [Fact]
    public void UsesLogFormatAndFilter()
    {
        var filter = JsonParser.Default.Parse<Proto.AccessLogFilter>("""{"statusCodeFilter": {"comparison": {"op": "GE", "value": {"defaultValue": 400}}}}""");
        var logger = BuildOne(new FileAccessLog
        {
            Path = LogPath,
            LogFormat = new SubstitutionFormatString { TextFormatSource = new DataSource { InlineString = "%RESPONSE_CODE% %REQ(:PATH)%\n" } },
        }, filter);
        var ok = TestStreams.Info();
        ok.ResponseCode = 200;
        var failed = TestStreams.Info();
        failed.ResponseCode = 503;

        logger.Log(TestStreams.Context(ok));
        logger.Log(TestStreams.Context(failed));

        Assert.Equal(["503 /api/v1/locations"], Flushed());
    }

    [Fact]
    public void JsonLogFormatWritesOneObjectPerLine()
    {
        var logger = BuildOne(new FileAccessLog
        {
            Path = LogPath,
            LogFormat = new SubstitutionFormatString { JsonFormat = JsonParser.Default.Parse<Struct>("""{"code": "%RESPONSE_CODE%", "m": "%REQ(:METHOD)%"}""") },
        });

        logger.Log(TestStreams.Context());

        Assert.Equal(["{\"code\":204,\"m\":\"POST\"}"], Flushed());
    }

    [Fact]
    public void DeprecatedFormatFieldsStillWork()
    {
        BuildOne(new FileAccessLog { Path = LogPath, Format = "text %RESPONSE_CODE%\n" }).Log(TestStreams.Context());
        BuildOne(new FileAccessLog { Path = LogPath, JsonFormat = JsonParser.Default.Parse<Struct>("""{"code": "%RESPONSE_CODE%"}""") })
            .Log(TestStreams.Context());
        BuildOne(new FileAccessLog { Path = LogPath, TypedJsonFormat = JsonParser.Default.Parse<Struct>("""{"code": "%RESPONSE_CODE%"}""") })
            .Log(TestStreams.Context());

        Assert.Equal(["text 204", "{\"code\":\"204\"}", "{\"code\":204}"], Flushed());
    }

    [Fact]
    public void LoggersOnOnePathShareOneFile()
    {
        var a = BuildOne(new FileAccessLog { Path = LogPath, Format = "a\n" });
        var b = BuildOne(new FileAccessLog { Path = LogPath, Format = "b\n" });

        a.Log(TestStreams.Context());
        b.Log(TestStreams.Context());
        a.Log(TestStreams.Context());

        Assert.Same(((FormattedAccessLogger)a).File, ((FormattedAccessLogger)b).File);
        Assert.Equal(["a", "b", "a"], Flushed());
    }

    [Fact]
    public void ConcurrentRequestsWriteWholeLines()
    {
        var logger = BuildOne(new FileAccessLog { Path = LogPath, Format = "%REQ(X-REQUEST-ID)% %RESPONSE_CODE% %BYTES_RECEIVED%\n" });
        const int Threads = 8;
        const int PerThread = 2000;

        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, _ =>
        {
            for (var i = 0; i < PerThread; i++)
            {
                logger.Log(TestStreams.Context());
            }
        });

        var lines = Flushed();
        Assert.Equal(Threads * PerThread, lines.Length);
        Assert.All(lines, line => Assert.Equal("cc21d9b0-cf5c-432b-8c7e-98aeb7988cd2 204 154", line));
    }

    [Fact]
    public void ReopenStartsANewFileAfterRotation()
    {
        var logger = BuildOne(new FileAccessLog { Path = LogPath, Format = "%RESPONSE_CODE%\n" });
        logger.Log(TestStreams.Context());
        var rotated = Path.Combine(_dir, "access.log.1");
        AccessLogFileManager.For(_context).FlushAll();
        File.Move(LogPath, rotated);

        logger.Log(TestStreams.Context());
        Assert.True(AccessLogFileManager.For(_context).ReopenAll());
        logger.Log(TestStreams.Context());

        Assert.Equal(["204", "204"], File.ReadAllLines(rotated));
        Assert.Equal(["204"], Flushed());
    }

    [Fact]
    public void DisposeFlushesAndLaterLinesAreDropped()
    {
        var logger = BuildOne(new FileAccessLog { Path = LogPath, Format = "%RESPONSE_CODE%\n" });
        logger.Log(TestStreams.Context());

        AccessLogFileManager.For(_context).Dispose();
        logger.Log(TestStreams.Context());

        Assert.Equal(["204"], File.ReadAllLines(LogPath));
    }

    [Fact]
    public async Task BackgroundTimerFlushes()
    {
        var context = new AccessLogContext(NullLoggerFactory.Instance, TimeSpan.FromMilliseconds(20));
        using var manager = AccessLogFileManager.For(context);
        var logger = AccessLogBuilder.Build(
            [new Proto.AccessLog { TypedConfig = Any.Pack(new FileAccessLog { Path = LogPath, Format = "tick\n" }) }], _registry, context, "a")[0];

        logger.Log(TestStreams.Context());

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (new FileInfo(LogPath).Length == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }
        Assert.Equal(["tick"], File.ReadAllLines(LogPath));
    }

    [Fact]
    public void StdoutAndStderrLoggersResolveByTypeAndByName()
    {
        var byType = BuildOne(new StdoutAccessLog());
        var byName = AccessLogBuilder.Build([new Proto.AccessLog { Name = "envoy.access_loggers.stderr" }], _registry, _context, "a")[0];

        Assert.Equal(AccessLogFile.StandardOutputPath, ((FormattedAccessLogger)byType).File.Path);
        Assert.Equal(AccessLogFile.StandardErrorPath, ((FormattedAccessLogger)byName).File.Path);
        Assert.Same(AccessLogFormats.DefaultFormatter, ((FormattedAccessLogger)byName).Formatter);
    }

    [Fact]
    public void UnknownLoggerTypeIsAConfigError()
    {
        var configs = new[]
        {
            new Proto.AccessLog { TypedConfig = Any.Pack(new FileAccessLog { Path = LogPath }) },
            new Proto.AccessLog { TypedConfig = Any.Pack(new Struct(), "type.googleapis.com") },
        };

        var e = Assert.Throws<ConfigException>(() => AccessLogBuilder.Build(configs, _registry, _context, "hcm.access_log"));
        Assert.Equal("hcm.access_log[1].typed_config: unknown access logger type \"type.googleapis.com/google.protobuf.Struct\"", e.Message);
    }

    [Fact]
    public void ConfigErrorsNameTheField()
    {
        var badFormat = Assert.Throws<ConfigException>(() => BuildOne(new FileAccessLog
        {
            Path = LogPath,
            LogFormat = new SubstitutionFormatString { TextFormatSource = new DataSource { InlineString = "%NOPE%" } },
        }));
        var noPath = Assert.Throws<ConfigException>(() => BuildOne(new FileAccessLog()));
        var unopenable = Assert.Throws<ConfigException>(() => BuildOne(new FileAccessLog { Path = Path.Combine(_dir, "missing", "x.log") }));

        Assert.Equal("access_log[0].typed_config.log_format.text_format_source: Not supported field in StreamInfo: NOPE", badFormat.Message);
        Assert.Equal("access_log[0].typed_config.path: value length must be at least 1 characters", noPath.Message);
        Assert.Equal("access_log[0].typed_config.path", unopenable.FieldPath);
    }
}
