using System.Net;

// floors socket|context|kestrel <listen port> <upstream port>
if (args.Length != 3 || args[0] is not ("socket" or "context" or "kestrel"))
{
    Console.Error.WriteLine("usage: floors socket|context|kestrel <listen port> <upstream port>");
    return 2;
}
// Inline completions and two epoll threads per core, as the legate executable sets them.
Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT", (2 * Environment.ProcessorCount).ToString(System.Globalization.CultureInfo.InvariantCulture));
var listen = new IPEndPoint(IPAddress.Loopback, int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture));
var upstream = new UpstreamPool(new IPEndPoint(IPAddress.Loopback, int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture)));
await (args[0] switch
{
    "socket" => SocketFloor.RunAsync(listen, upstream),
    "context" => ContextFloor.RunAsync(listen, upstream),
    _ => KestrelFloor.RunAsync(listen, upstream),
});
return 0;
