namespace Legate.Config.Schema;

/// <summary>An enum of the api/ protos: its value names and numbers, in declaration order.</summary>
public sealed class EnumSchema
{
    private readonly Dictionary<string, EnumValueSchema> _byName;

    internal EnumSchema(string fullName, IReadOnlyList<EnumValueSchema> values)
    {
        FullName = fullName;
        Values = values;
        _byName = new Dictionary<string, EnumValueSchema>(values.Count, StringComparer.Ordinal);
        foreach (var value in values)
        {
            // Aliases (allow_alias) share a number; the first name is the canonical one.
            _byName.TryAdd(value.Name, value);
        }
    }

    public string FullName { get; }

    public IReadOnlyList<EnumValueSchema> Values { get; }

    public EnumValueSchema? FindValueByName(string name) => _byName.GetValueOrDefault(name);

    public override string ToString() => FullName;
}

public sealed record EnumValueSchema(string Name, int Number);
