using System.Globalization;
using Envoy.Config.Bootstrap.V3;
using Google.Protobuf.WellKnownTypes;

namespace Legate.Admin;

/// <summary>
/// The runtime layers as /runtime shows them: the bootstrap's static layers (flattened to dotted keys)
/// and the admin layer that /runtime_modify writes. Disk and RTDS layers are listed but hold no values yet.
/// </summary>
public sealed class AdminRuntime
{
    private readonly Lock _gate = new();
    private readonly List<Layer> _layers = [];
    private readonly int _adminLayer = -1;

    public AdminRuntime(LayeredRuntime? config)
    {
        if (config is null)
        {
            return;
        }
        if (config.Layers.Count == 0)
        {
            _layers.Add(new Layer(string.Empty, []));
            _adminLayer = 0;
            return;
        }
        foreach (var layer in config.Layers)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            if (layer.LayerSpecifierCase == RuntimeLayer.LayerSpecifierOneofCase.StaticLayer)
            {
                Flatten(string.Empty, layer.StaticLayer, values);
            }
            else if (layer.LayerSpecifierCase == RuntimeLayer.LayerSpecifierOneofCase.AdminLayer && _adminLayer < 0)
            {
                _adminLayer = _layers.Count;
            }
            _layers.Add(new Layer(layer.Name, values));
        }
    }

    public bool HasAdminLayer => _adminLayer >= 0;

    /// <summary>Sets (or with an empty value deletes) admin-layer overrides; false when there is no admin layer.</summary>
    public bool Modify(IEnumerable<KeyValuePair<string, string>> changes)
    {
        if (_adminLayer < 0)
        {
            return false;
        }
        lock (_gate)
        {
            var values = _layers[_adminLayer].Values;
            foreach (var (key, value) in changes)
            {
                if (value.Length == 0)
                {
                    values.Remove(key);
                }
                else
                {
                    values[key] = value;
                }
            }
        }
        return true;
    }

    /// <summary>The value a key resolves to (the last layer that has it wins), or null.</summary>
    public string? Get(string key)
    {
        lock (_gate)
        {
            for (var i = _layers.Count - 1; i >= 0; i--)
            {
                if (_layers[i].Values.TryGetValue(key, out var v))
                {
                    return v;
                }
            }
        }
        return null;
    }

    /// <summary>Layer names and, per key (sorted), each layer's value ("" when absent) and the final value.</summary>
    public (IReadOnlyList<string> Layers, SortedDictionary<string, (string[] LayerValues, string Final)> Entries) Snapshot()
    {
        lock (_gate)
        {
            var names = new List<string>(_layers.Count);
            var entries = new SortedDictionary<string, (string[], string)>(StringComparer.Ordinal);
            foreach (var layer in _layers)
            {
                names.Add(layer.Name);
            }
            for (var i = 0; i < _layers.Count; i++)
            {
                foreach (var (key, value) in _layers[i].Values)
                {
                    if (!entries.TryGetValue(key, out var entry))
                    {
                        entry = (new string[_layers.Count], string.Empty);
                        Array.Fill(entry.Item1, string.Empty);
                    }
                    entry.Item1[i] = value;
                    entry.Item2 = value;
                    entries[key] = entry;
                }
            }
            return (names, entries);
        }
    }

    private static void Flatten(string prefix, Struct value, Dictionary<string, string> into)
    {
        foreach (var (key, field) in value.Fields)
        {
            var name = prefix.Length == 0 ? key : prefix + "." + key;
            switch (field.KindCase)
            {
                case Value.KindOneofCase.StructValue:
                    Flatten(name, field.StructValue, into);
                    break;
                case Value.KindOneofCase.NumberValue:
                    into[name] = field.NumberValue.ToString(CultureInfo.InvariantCulture);
                    break;
                case Value.KindOneofCase.BoolValue:
                    into[name] = field.BoolValue ? "true" : "false";
                    break;
                case Value.KindOneofCase.StringValue:
                    into[name] = field.StringValue;
                    break;
            }
        }
    }

    private sealed record Layer(string Name, Dictionary<string, string> Values);
}
