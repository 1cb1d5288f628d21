namespace Legate.Stats;

/// <summary>A string-valued stat (version_text, control_plane.identifier).</summary>
public sealed class TextReadout
{
    private string _value = string.Empty;

    internal TextReadout(string name) => Name = name;

    public string Name { get; }

    public bool Used { get; private set; }

    public string Value
    {
        get => Volatile.Read(ref _value);
        set
        {
            Used = true;
            Volatile.Write(ref _value, value);
        }
    }
}
