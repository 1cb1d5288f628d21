using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Yarp.ReverseProxy.Forwarder;

// Usage: YarpBaseline --h1-port N --h2-port N --upstream http://127.0.0.1:PORT
// Kestrel cannot sniff h2c prior knowledge on a cleartext Http1AndHttp2 endpoint, so each protocol gets its own port.
var h1Port = IntArg(args, "--h1-port", 18084);
var h2Port = IntArg(args, "--h2-port", 18085);
var upstream = StringArg(args, "--upstream", "http://127.0.0.1:18080");

// The default builder watches appsettings.json for changes, and its file provider watches the whole content root,
// which defaults to the working directory: the harness's, where h2load writes a log line per request. That watcher
// thread used 10-20% of a core, during every other target's runs too. A bare forwarder reads no settings file.
var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
{
    Args = ["--hostBuilder:reloadConfigOnChange=false"],
    ContentRootPath = AppContext.BaseDirectory,
});
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    kestrel.Listen(IPAddress.Loopback, h1Port, o => o.Protocols = HttpProtocols.Http1);
    kestrel.Listen(IPAddress.Loopback, h2Port, o => o.Protocols = HttpProtocols.Http2);
});
builder.Services.AddHttpForwarder();
var app = builder.Build();

// What YARP's own ForwarderHttpClientFactory sets, minus tracing: one invoker shared by all requests keeps the pool warm.
var invoker = new HttpMessageInvoker(new SocketsHttpHandler
{
    UseProxy = false,
    AllowAutoRedirect = false,
    AutomaticDecompression = DecompressionMethods.None,
    UseCookies = false,
    EnableMultipleHttp2Connections = true,
    ActivityHeadersPropagator = null,
    ConnectTimeout = TimeSpan.FromSeconds(15),
});
// The upstream speaks HTTP/1.1 with keep-alive, as it does for nginx and HAProxy.
var requestConfig = new ForwarderRequestConfig
{
    ActivityTimeout = TimeSpan.FromSeconds(100),
    Version = HttpVersion.Version11,
    VersionPolicy = HttpVersionPolicy.RequestVersionExact,
};
var forwarder = app.Services.GetRequiredService<IHttpForwarder>();
var transformer = HttpTransformer.Empty;

app.Run(async context =>
{
    var error = await forwarder.SendAsync(context, upstream, invoker, requestConfig, transformer);
    if (error != ForwarderError.None)
    {
        Debug.WriteLine("forward failed: " + error);
    }
});

await app.RunAsync();

static int IntArg(string[] args, string name, int fallback) => int.Parse(StringArg(args, name, fallback.ToString()));

static string StringArg(string[] args, string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
