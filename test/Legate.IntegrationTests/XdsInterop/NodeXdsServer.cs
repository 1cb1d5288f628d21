using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Legate.IntegrationTests.Support;

namespace Legate.IntegrationTests.XdsInterop;

/// <summary>
/// test/xds-interop/server.js as a child process: an ADS management server on the upstream Envoy protos. The test
/// hands it resources as JSON (rewritten atomically to push an update) and reads back every request Legate sent.
/// </summary>
internal sealed class NodeXdsServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();
    private readonly string _resourcesFile;
    private readonly string _logFile;

    private NodeXdsServer(Process process, string resourcesFile, string logFile)
    {
        _process = process;
        _resourcesFile = resourcesFile;
        _logFile = logFile;
    }

    public int Port { get; private set; }

    /// <summary>What the server printed (stdout and stderr), for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<NodeXdsServer> StartAsync(TempDir dir, JsonObject resources)
    {
        var node = NodeTooling.Node();
        NodeTooling.RequireInstalled();
        var resourcesFile = dir.File("xds-resources.json");
        var logFile = dir.File("xds-requests.jsonl");
        var portFile = dir.File("xds-port");
        WriteAtomically(resourcesFile, resources);

        var info = new ProcessStartInfo(node)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = NodeTooling.InteropDirectory,
        };
        foreach (var arg in new[]
        {
            Path.Combine(NodeTooling.InteropDirectory, "server.js"), "--resources", resourcesFile, "--log", logFile,
            "--port", "0", "--port-file", portFile, "--exit-with-stdin", "1",
        })
        {
            info.ArgumentList.Add(arg);
        }
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var server = new NodeXdsServer(process, resourcesFile, logFile);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var started = await Eventually.TrueAsync(() => File.Exists(portFile) || process.HasExited, TimeSpan.FromSeconds(30));
        if (!started || process.HasExited)
        {
            var output = server.Output;
            await server.DisposeAsync();
            Assert.Fail("the xDS interop server did not start:\n" + output);
        }
        server.Port = int.Parse(File.ReadAllText(portFile).Trim(), CultureInfo.InvariantCulture);
        return server;
    }

    /// <summary>Replaces the served resources; the server notices the rename and pushes to every open stream.</summary>
    public void Serve(JsonObject resources) => WriteAtomically(_resourcesFile, resources);

    /// <summary>Everything logged so far (requests with ACK/NACK, responses, reloads).</summary>
    public IReadOnlyList<XdsLogEntry> Log()
    {
        var entries = new List<XdsLogEntry>();
        if (!File.Exists(_logFile))
        {
            return entries;
        }
        string text;
        using (var stream = new FileStream(_logFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        using (var reader = new StreamReader(stream))
        {
            text = reader.ReadToEnd();
        }
        foreach (var line in text.Split('\n'))
        {
            // The server appends whole lines; a line still being written has no newline yet and is skipped.
            if (line.Length == 0 || !text.Contains(line + "\n", StringComparison.Ordinal))
            {
                continue;
            }
            entries.Add(XdsLogEntry.Parse(line));
        }
        return entries;
    }

    /// <summary>The log as text, for failure messages.</summary>
    public string LogText()
    {
        var sb = new StringBuilder();
        foreach (var entry in Log())
        {
            sb.Append(entry.Raw).Append('\n');
        }
        return sb.ToString();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_gate)
        {
            _output.Append(line).Append('\n');
        }
    }

    private static void WriteAtomically(string path, JsonObject resources)
    {
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, resources.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        File.Move(tmp, path, overwrite: true);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                // server.js exits when its stdin closes; kill only if it does not.
                _process.StandardInput.Close();
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                try
                {
                    await _process.WaitForExitAsync(cts.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync();
                }
            }
        }
        finally
        {
            _process.Dispose();
        }
    }
}
