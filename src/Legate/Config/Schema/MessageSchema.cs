namespace Legate.Config.Schema;

/// <summary>A message of the api/ protos: what config parsing needs of it, and nothing else.</summary>
public sealed class MessageSchema
{
    private readonly Dictionary<string, FieldSchema> _byName;
    private readonly Dictionary<int, FieldSchema> _byNumber;

    internal MessageSchema(string fullName, string fileName, bool isMapEntry, IReadOnlyList<FieldSchema> fields)
    {
        FullName = fullName;
        FileName = fileName;
        IsMapEntry = isMapEntry;
        Fields = fields;
        FieldsByNumber = fields.OrderBy(static f => f.FieldNumber).ToArray();
        _byName = new Dictionary<string, FieldSchema>(fields.Count * 2, StringComparer.Ordinal);
        _byNumber = new Dictionary<int, FieldSchema>(fields.Count);
        foreach (var field in fields)
        {
            _byName[field.Name] = field;
            _byNumber[field.FieldNumber] = field;
        }
        // The proto3 JSON parser takes both spellings; the proto name wins a clash.
        foreach (var field in fields)
        {
            _byName.TryAdd(field.JsonName, field);
        }
    }

    /// <summary>The full proto name, e.g. <c>envoy.config.cluster.v3.Cluster</c>.</summary>
    public string FullName { get; }

    /// <summary>The .proto file it is declared in, e.g. <c>google/protobuf/duration.proto</c>.</summary>
    public string FileName { get; }

    /// <summary>The synthetic entry message of a map field.</summary>
    public bool IsMapEntry { get; }

    /// <summary>In declaration order.</summary>
    public IReadOnlyList<FieldSchema> Fields { get; }

    /// <summary>In field-number order, the order the generated classes serialise in.</summary>
    public IReadOnlyList<FieldSchema> FieldsByNumber { get; }

    /// <summary>By proto name or lowerCamel JSON name.</summary>
    public FieldSchema? FindField(string name) => _byName.GetValueOrDefault(name);

    public FieldSchema? FindFieldByNumber(int number) => _byNumber.GetValueOrDefault(number);

    /// <summary>A field that must exist, such as a map entry's key (1) and value (2) or a wrapper's value (1).</summary>
    public FieldSchema FieldByNumber(int number) =>
        _byNumber.GetValueOrDefault(number) ?? throw new InvalidOperationException(FullName + " has no field " + number);

    public override string ToString() => FullName;
}
