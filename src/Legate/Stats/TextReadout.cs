namespace Legate.Stats;

/// <summary>A string-valued stat (version_text, control_plane.identifier).</summary>
public sealed class TextReadout
{
    private readonly bool _rejected;
    private string _value = string.Empty;
    private bool _used;

    internal TextReadout(string name, bool rejected = false)
    {
        Name = name;
        _rejected = rejected;
    }

    public string Name { get; }

    public bool Used => Volatile.Read(ref _used);

    /// <summary>False for the shared no-op handle given out for names stats_matcher rejects.</summary>
    public bool Enabled => !_rejected;

    public string Value
    {
        get => Volatile.Read(ref _value);
        set
        {
            if (_rejected)
            {
                return;
            }
            _used = true;
            Volatile.Write(ref _value, value);
        }
    }
}
