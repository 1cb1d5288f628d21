using Envoy.Extensions.TransportSockets.Tls.V3;
using Legate.Config;
using Legate.Xds;
using Microsoft.Extensions.Logging;

namespace Legate.Tls;

/// <summary>
/// One SDS secret (Envoy's SdsApi), shared by every user of the same (sds_config, name): the
/// subscription's callbacks, the current secret with its version_info and last_updated, and the init
/// target TLS contexts will wait on. Stats: <c>sds.&lt;name&gt;.</c>. An update must carry the secret of
/// this name (a file may hold other secrets too); an update that lacks it is rejected.
/// </summary>
public sealed class SdsSecretProvider : ISubscriptionCallbacks
{
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private Secret? _current;
    private string _versionInfo = string.Empty;
    private DateTimeOffset? _lastUpdated;

    internal SdsSecretProvider(string name, string key, SubscriptionStats stats, TimeProvider time, ILogger logger)
    {
        Name = name;
        Key = key;
        Stats = stats;
        _time = time;
        _logger = logger;
        Init = new InitTarget("SdsApi " + name);
    }

    public string Name { get; }

    public SubscriptionStats Stats { get; }

    public InitTarget Init { get; }

    /// <summary>Null while warming (no update accepted yet).</summary>
    public Secret? Current => Volatile.Read(ref _current);

    public string VersionInfo
    {
        get
        {
            lock (_gate)
            {
                return _versionInfo;
            }
        }
    }

    /// <summary>When the current secret was accepted; null while warming.</summary>
    public DateTimeOffset? LastUpdated
    {
        get
        {
            lock (_gate)
            {
                return _lastUpdated;
            }
        }
    }

    internal string Key { get; }

    internal ISubscription? Subscription { get; set; }

    /// <summary>Handles holding this provider; guarded by the secret manager's lock.</summary>
    internal int Users { get; set; }

    internal event Action<Secret>? Changed;

    public void OnConfigUpdate(IReadOnlyList<DecodedResource> resources, string versionInfo) => Update(resources, versionInfo);

    /// <summary>A removal is ignored, as in Envoy: the last secret stays in use until its users go away.</summary>
    public void OnConfigUpdate(IReadOnlyList<DecodedResource> added, IReadOnlyList<string> removed, string systemVersionInfo)
    {
        if (added.Count > 0)
        {
            Update(added, systemVersionInfo);
        }
    }

    public void OnConfigUpdateFailed(ConfigUpdateFailureReason reason, Exception? error)
    {
        // A connection failure keeps the init wait going: the server may come back before the timeout.
        if (reason != ConfigUpdateFailureReason.ConnectionFailure)
        {
            Init.Ready();
        }
    }

    private void Update(IReadOnlyList<DecodedResource> resources, string versionInfo)
    {
        DecodedResource? found = null;
        for (var i = 0; i < resources.Count; i++)
        {
            if (string.Equals(resources[i].Name, Name, StringComparison.Ordinal))
            {
                found = resources[i];
                break;
            }
        }
        if (found is null)
        {
            throw new ConfigException("resources", "missing SDS resource '" + Name + "' (the update has " + resources.Count + " resource(s))");
        }
        var secret = (Secret)found.Resource;
        var version = found.Version.Length > 0 ? found.Version : versionInfo;
        bool changed;
        lock (_gate)
        {
            changed = _current is null || !_current.Equals(secret);
            _versionInfo = version;
            if (changed)
            {
                _lastUpdated = _time.GetUtcNow();
                Volatile.Write(ref _current, secret);
            }
        }
        Init.Ready();
        if (changed)
        {
            Stats.ConfigReload.Inc();
            _logger.LogInformation("sds: secret '{Secret}' updated (version {Version})", Name, version);
            Changed?.Invoke(secret);
        }
    }
}
