using System.Threading.Channels;
using Legate.Xds;

namespace Legate.IntegrationTests.XdsGrpc;

/// <summary>A resource type's callbacks that record every update and failure, with an optional validator (throw ConfigException to NACK).</summary>
internal sealed class RecordingCallbacks : ISubscriptionCallbacks
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly Channel<Update> _updates = Channel.CreateUnbounded<Update>();
    private readonly Channel<(ConfigUpdateFailureReason Reason, Exception? Error)> _failures = Channel.CreateUnbounded<(ConfigUpdateFailureReason, Exception?)>();

    /// <summary>Runs before an update is recorded; throwing rejects it.</summary>
    public Action<IReadOnlyList<DecodedResource>>? Validate { get; set; }

    public int UpdateCount { get; private set; }

    public void OnConfigUpdate(IReadOnlyList<DecodedResource> resources, string versionInfo)
    {
        Validate?.Invoke(resources);
        UpdateCount++;
        _updates.Writer.TryWrite(new Update([.. resources], [], versionInfo, false));
    }

    public void OnConfigUpdate(IReadOnlyList<DecodedResource> added, IReadOnlyList<string> removed, string systemVersionInfo)
    {
        Validate?.Invoke(added);
        UpdateCount++;
        _updates.Writer.TryWrite(new Update([.. added], [.. removed], systemVersionInfo, true));
    }

    public void OnConfigUpdateFailed(ConfigUpdateFailureReason reason, Exception? error) => _failures.Writer.TryWrite((reason, error));

    public async Task<Update> NextUpdateAsync()
    {
        using var timeout = new CancellationTokenSource(Wait);
        try
        {
            return await _updates.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("no config update within " + Wait.TotalSeconds + " s");
        }
    }

    public async Task<(ConfigUpdateFailureReason Reason, Exception? Error)> NextFailureAsync()
    {
        using var timeout = new CancellationTokenSource(Wait);
        try
        {
            return await _failures.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("no config update failure within " + Wait.TotalSeconds + " s");
        }
    }

    public bool HasPendingUpdate => _updates.Reader.Count > 0;

    internal sealed record Update(IReadOnlyList<DecodedResource> Resources, IReadOnlyList<string> Removed, string Version, bool Delta)
    {
        public List<string> Names()
        {
            var names = new List<string>();
            foreach (var resource in Resources)
            {
                names.Add(resource.Name);
            }
            names.Sort(StringComparer.Ordinal);
            return names;
        }
    }
}
