using Envoy.Extensions.TransportSockets.Tls.V3;
using Google.Protobuf;
using Legate.Config;
using Legate.Stats;
using Legate.Xds;
using Microsoft.Extensions.Logging;

namespace Legate.Tls;

/// <summary>
/// Envoy's secret manager: the bootstrap's static secrets, and SDS secrets fetched through the xDS
/// subscription factory (files, gRPC, ADS, REST). An SdsSecretConfig with only a name refers to a static
/// secret; with sds_config it is a dynamic secret, shared by every user of the same (sds_config, name)
/// and unsubscribed when the last user disposes its provider. Feeds /config_dump's SecretsConfigDump.
/// </summary>
public sealed class SecretManager : IDisposable
{
    public const string SecretTypeUrl = "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret";

    private readonly StatsStore _stats;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, StaticSecret> _static = new(StringComparer.Ordinal);
    private readonly List<StaticSecret> _staticOrder = [];
    private readonly Dictionary<string, SdsSecretProvider> _dynamic = new(StringComparer.Ordinal);
    private bool _disposed;

    public SecretManager(StatsStore stats, ILoggerFactory loggers, TimeProvider? time = null)
    {
        _stats = stats;
        _time = time ?? TimeProvider.System;
        _logger = loggers.CreateLogger("secret");
    }

    /// <summary>Set once xDS is up (like the cluster manager's); without it only static secrets resolve.</summary>
    public ISubscriptionFactory? SubscriptionFactory { get; set; }

    /// <summary>The bootstrap's secrets, in bootstrap order.</summary>
    public IReadOnlyList<StaticSecret> StaticSecrets
    {
        get
        {
            lock (_gate)
            {
                return [.. _staticOrder];
            }
        }
    }

    /// <summary>The SDS secrets in use, sorted by name (warming ones have no <see cref="SdsSecretProvider.Current"/>).</summary>
    public IReadOnlyList<SdsSecretProvider> DynamicSecrets
    {
        get
        {
            List<SdsSecretProvider> all;
            lock (_gate)
            {
                all = [.. _dynamic.Values];
            }
            all.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
            return all;
        }
    }

    /// <summary>Adds <c>static_resources.secrets</c>; all or nothing. Names must be set and unique.</summary>
    public void AddStaticSecrets(IReadOnlyList<Secret> secrets, string path)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        lock (_gate)
        {
            for (var i = 0; i < secrets.Count; i++)
            {
                var name = secrets[i].Name;
                if (name.Length == 0)
                {
                    throw new ConfigException(ConfigPath.Join(ConfigPath.Index(path, i), "name"), "static secret must have a name");
                }
                if (!names.Add(name) || _static.ContainsKey(name))
                {
                    throw new ConfigException(ConfigPath.Join(ConfigPath.Index(path, i), "name"), "duplicate static secret name '" + name + "'");
                }
            }
            var now = _time.GetUtcNow();
            foreach (var secret in secrets)
            {
                var entry = new StaticSecret(secret.Name, secret.Clone(), now);
                _static.Add(secret.Name, entry);
                _staticOrder.Add(entry);
            }
        }
    }

    /// <summary>The static secret named <paramref name="name"/>, or null.</summary>
    public Secret? FindStaticSecret(string name)
    {
        lock (_gate)
        {
            return _static.TryGetValue(name, out var entry) ? entry.Secret : null;
        }
    }

    /// <summary>
    /// Resolves an SdsSecretConfig at <paramref name="path"/>: a static secret (no sds_config) or an SDS
    /// subscription for the name. Throws <see cref="ConfigException"/> naming the field for an empty name,
    /// an unknown static secret, or an invalid config source. Dispose the provider when done with it.
    /// </summary>
    public ISecretProvider Subscribe(SdsSecretConfig config, string path)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Name.Length == 0)
        {
            throw new ConfigException(ConfigPath.Join(path, "name"), "value length must be at least 1 characters");
        }
        if (config.SdsConfig is null)
        {
            lock (_gate)
            {
                if (_static.TryGetValue(config.Name, out var entry))
                {
                    return new StaticSecretProvider(entry);
                }
            }
            throw new ConfigException(ConfigPath.Join(path, "name"), "unknown static secret '" + config.Name + "' (no sds_config, and static_resources.secrets has no secret of that name)");
        }
        var key = config.Name + "|" + config.SdsConfig.ToByteString().ToBase64();
        SdsSecretProvider? created = null;
        SdsSecretHandle handle;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_dynamic.TryGetValue(key, out var provider))
            {
                var factory = SubscriptionFactory
                    ?? throw new ConfigException(ConfigPath.Join(path, "sds_config"), "SDS needs xDS subscriptions, which are not available here");
                provider = new SdsSecretProvider(config.Name, key, new SubscriptionStats(_stats.Scope("sds." + config.Name)), _time, _logger);
                provider.Subscription = factory.Create(config.SdsConfig, SecretTypeUrl, provider, provider.Stats, ConfigPath.Join(path, "sds_config"));
                _dynamic.Add(key, provider);
                created = provider;
            }
            provider.Users++;
            handle = new SdsSecretHandle(provider, this);
        }
        // Started outside the lock: a file subscription delivers its first update synchronously.
        created?.Subscription!.Start([config.Name]);
        return handle;
    }

    public void Dispose()
    {
        List<SdsSecretProvider> providers;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            providers = [.. _dynamic.Values];
            _dynamic.Clear();
        }
        foreach (var provider in providers)
        {
            provider.Subscription?.Dispose();
        }
    }

    internal void Release(SdsSecretProvider provider)
    {
        lock (_gate)
        {
            if (--provider.Users > 0 || !_dynamic.Remove(provider.Key))
            {
                return;
            }
        }
        provider.Subscription?.Dispose();
    }
}
