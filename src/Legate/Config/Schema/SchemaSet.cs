namespace Legate.Config.Schema;

/// <summary>Every message and enum of a descriptor set, by full proto name.</summary>
internal sealed class SchemaSet
{
    private readonly Dictionary<string, MessageSchema> _messages = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EnumSchema> _enums = new(StringComparer.Ordinal);

    public IEnumerable<MessageSchema> Messages => _messages.Values;

    public MessageSchema? FindMessage(string fullName) => _messages.GetValueOrDefault(fullName);

    public EnumSchema? FindEnum(string fullName) => _enums.GetValueOrDefault(fullName);

    public void Add(MessageSchema message) => _messages[message.FullName] = message;

    public void Add(EnumSchema value) => _enums[value.FullName] = value;
}
