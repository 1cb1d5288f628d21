using Microsoft.Extensions.Logging;

namespace Legate.Logging;

/// <summary>
/// The current level of every Envoy component, readable lock-free from any thread and changed at runtime by
/// the admin /logging endpoint. Categories that are not components (Microsoft.AspNetCore.*, Yarp.*) share one
/// "foreign" level that never drops below warning unless the misc component is set explicitly, because
/// Kestrel and YARP log every connection and request at information and debug.
/// </summary>
public sealed class LogLevelTable
{
    /// <summary>Index passed to <see cref="LevelAt"/> for categories that are not components.</summary>
    internal const int ForeignIndex = -1;

    private readonly Dictionary<string, int> _indexByName;
    private readonly int[] _levels;
    private readonly int _miscIndex;
    private int _foreignLevel;

    public LogLevelTable(LogLevel level, IReadOnlyDictionary<string, LogLevel>? componentLevels = null)
    {
        IReadOnlyList<string> names = LogComponents.Names;
        _indexByName = new Dictionary<string, int>(names.Count, StringComparer.Ordinal);
        _levels = new int[names.Count];
        for (int i = 0; i < names.Count; i++)
        {
            _indexByName.Add(names[i], i);
        }

        _miscIndex = _indexByName[LogComponents.Misc];
        SetAllLevels(level);
        if (componentLevels is null)
        {
            return;
        }

        foreach (KeyValuePair<string, LogLevel> pair in componentLevels)
        {
            if (!SetLevel(pair.Key, pair.Value))
            {
                throw new ArgumentException(LogComponents.InvalidComponentError(pair.Key), nameof(componentLevels));
            }
        }
    }

    /// <summary>The component index of a logger category, or <see cref="ForeignIndex"/>.</summary>
    internal int IndexOf(string category) =>
        _indexByName.TryGetValue(category, out int index) ? index : ForeignIndex;

    internal LogLevel LevelAt(int index) =>
        (LogLevel)Volatile.Read(ref index == ForeignIndex ? ref _foreignLevel : ref _levels[index]);

    /// <summary>The level of a component; <see cref="LogLevel.None"/> (off) for an unknown name.</summary>
    public LogLevel GetLevel(string component)
    {
        int index = IndexOf(component);
        return index == ForeignIndex ? LogLevel.None : LevelAt(index);
    }

    /// <summary>Sets one component's level; false if the component is unknown.</summary>
    public bool SetLevel(string component, LogLevel level)
    {
        int index = IndexOf(component);
        if (index == ForeignIndex)
        {
            return false;
        }

        Volatile.Write(ref _levels[index], (int)level);
        if (index == _miscIndex)
        {
            Volatile.Write(ref _foreignLevel, (int)level);
        }

        return true;
    }

    /// <summary>Sets every component (Envoy's /logging?level=); foreign categories stay at warning or above.</summary>
    public void SetAllLevels(LogLevel level)
    {
        for (int i = 0; i < _levels.Length; i++)
        {
            Volatile.Write(ref _levels[i], (int)level);
        }

        Volatile.Write(ref _foreignLevel, (int)(level > LogLevel.Warning ? level : LogLevel.Warning));
    }

    /// <summary>Every component with its level, sorted by name (ordinal), as /logging prints them.</summary>
    public IReadOnlyList<KeyValuePair<string, LogLevel>> Snapshot()
    {
        IReadOnlyList<string> names = LogComponents.Names;
        var result = new KeyValuePair<string, LogLevel>[names.Count];
        for (int i = 0; i < names.Count; i++)
        {
            result[i] = new KeyValuePair<string, LogLevel>(names[i], LevelAt(i));
        }

        return result;
    }
}
