using System.Globalization;
using Google.Protobuf.Reflection;

namespace Legate.WireCompat.Tests;

/// <summary>
/// Compares our schema against upstream by full name. Anything we define must match upstream exactly (field number,
/// name, JSON name, type, label, oneof membership, proto3 optional, packing, map entry; enum value numbers; service
/// method types and streaming). What upstream has and we do not is fine and only listed.
/// </summary>
internal sealed class SchemaComparison
{
    private readonly SchemaIndex _ours;
    private readonly SchemaIndex _upstream;

    private SchemaComparison(SchemaIndex ours, SchemaIndex upstream)
    {
        _ours = ours;
        _upstream = upstream;
    }

    /// <summary>Ways we disagree with upstream: each one is a test failure.</summary>
    public List<string> Differences { get; } = [];

    /// <summary>What we define that the pinned upstream snapshot does not have at all (message, enum, service, field, value).</summary>
    public List<string> MissingUpstream { get; } = [];

    /// <summary>Upstream fields, enum values, methods and types we do not define (allowed, reported).</summary>
    public List<string> UpstreamOnly { get; } = [];

    public static SchemaComparison Run(SchemaIndex ours, SchemaIndex upstream, ICollection<string> ourFiles)
    {
        var comparison = new SchemaComparison(ours, upstream);
        comparison.CompareAll();
        comparison.ListUpstreamTypesWeLack(ourFiles);
        comparison.Differences.Sort(StringComparer.Ordinal);
        comparison.MissingUpstream.Sort(StringComparer.Ordinal);
        comparison.UpstreamOnly.Sort(StringComparer.Ordinal);
        return comparison;
    }

    private void CompareAll()
    {
        foreach (var (name, message) in _ours.Messages)
        {
            if (_upstream.Messages.TryGetValue(name, out var theirs))
            {
                CompareMessage(name, message, theirs);
            }
            else
            {
                MissingUpstream.Add($"message {name} ({_ours.FileOf[name]})");
            }
        }
        foreach (var (name, enumType) in _ours.Enums)
        {
            if (_upstream.Enums.TryGetValue(name, out var theirs))
            {
                CompareEnum(name, enumType, theirs);
            }
            else
            {
                MissingUpstream.Add($"enum {name} ({_ours.FileOf[name]})");
            }
        }
        foreach (var (name, service) in _ours.Services)
        {
            if (_upstream.Services.TryGetValue(name, out var theirs))
            {
                CompareService(name, service, theirs);
            }
            else
            {
                MissingUpstream.Add($"service {name} ({_ours.FileOf[name]})");
            }
        }
    }

    private void CompareMessage(string name, DescriptorProto ours, DescriptorProto theirs)
    {
        var ourMapEntry = ours.Options?.MapEntry == true;
        var theirMapEntry = theirs.Options?.MapEntry == true;
        if (ourMapEntry != theirMapEntry)
        {
            Differences.Add($"{name}: map entry is {ourMapEntry}, upstream {theirMapEntry}");
        }
        var theirsByNumber = new Dictionary<int, FieldDescriptorProto>();
        var theirsByName = new Dictionary<string, FieldDescriptorProto>(StringComparer.Ordinal);
        foreach (var field in theirs.Field)
        {
            theirsByNumber[field.Number] = field;
            theirsByName[field.Name] = field;
        }
        var oursByNumber = new HashSet<int>();
        foreach (var field in ours.Field)
        {
            oursByNumber.Add(field.Number);
            if (!theirsByNumber.TryGetValue(field.Number, out var match))
            {
                if (theirsByName.TryGetValue(field.Name, out var sameName))
                {
                    Differences.Add($"{name}.{field.Name}: number {field.Number}, upstream {sameName.Number} ({Describe(theirs, sameName)})");
                }
                else
                {
                    MissingUpstream.Add($"field {name}.{field.Name} = {field.Number} ({Describe(ours, field)})");
                }
                continue;
            }
            CompareField(name, ours, field, theirs, match);
        }
        foreach (var field in theirs.Field)
        {
            if (!oursByNumber.Contains(field.Number))
            {
                UpstreamOnly.Add($"field {name}.{field.Name} = {field.Number} ({Describe(theirs, field)})");
            }
        }
    }

    private void CompareField(string message, DescriptorProto oursMessage, FieldDescriptorProto ours, DescriptorProto theirsMessage, FieldDescriptorProto theirs)
    {
        var at = $"{message} field {ours.Number} '{ours.Name}'";
        if (ours.Name != theirs.Name)
        {
            Differences.Add($"{at}: name differs, upstream '{theirs.Name}' ({Describe(theirsMessage, theirs)})");
        }
        if (ours.JsonName != theirs.JsonName)
        {
            Differences.Add($"{at}: json_name '{ours.JsonName}', upstream '{theirs.JsonName}'");
        }
        if (ours.Type != theirs.Type || ours.TypeName != theirs.TypeName)
        {
            Differences.Add($"{at}: type {TypeOf(ours)}, upstream {TypeOf(theirs)}");
        }
        if (ours.Label != theirs.Label)
        {
            Differences.Add($"{at}: label {LabelOf(ours)}, upstream {LabelOf(theirs)}");
        }
        if (ours.Proto3Optional != theirs.Proto3Optional)
        {
            Differences.Add($"{at}: proto3 optional {ours.Proto3Optional}, upstream {theirs.Proto3Optional}");
        }
        var ourOneof = OneofOf(oursMessage, ours);
        var theirOneof = OneofOf(theirsMessage, theirs);
        if (ourOneof != theirOneof)
        {
            Differences.Add($"{at}: oneof {ourOneof ?? "(none)"}, upstream {theirOneof ?? "(none)"}");
        }
        bool? ourPacked = ours.Options is { HasPacked: true } o ? o.Packed : null;
        bool? theirPacked = theirs.Options is { HasPacked: true } t ? t.Packed : null;
        if (ourPacked != theirPacked)
        {
            Differences.Add($"{at}: packed {ourPacked?.ToString() ?? "default"}, upstream {theirPacked?.ToString() ?? "default"}");
        }
    }

    private void CompareEnum(string name, EnumDescriptorProto ours, EnumDescriptorProto theirs)
    {
        var theirsByName = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var value in theirs.Value)
        {
            theirsByName[value.Name] = value.Number;
        }
        var oursByName = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in ours.Value)
        {
            oursByName.Add(value.Name);
            if (!theirsByName.TryGetValue(value.Name, out var number))
            {
                MissingUpstream.Add($"enum value {name}.{value.Name} = {value.Number}");
            }
            else if (number != value.Number)
            {
                Differences.Add($"{name}.{value.Name}: value {value.Number}, upstream {number}");
            }
        }
        foreach (var value in theirs.Value)
        {
            if (!oursByName.Contains(value.Name))
            {
                UpstreamOnly.Add($"enum value {name}.{value.Name} = {value.Number}");
            }
        }
    }

    private void CompareService(string name, ServiceDescriptorProto ours, ServiceDescriptorProto theirs)
    {
        var theirsByName = new Dictionary<string, MethodDescriptorProto>(StringComparer.Ordinal);
        foreach (var method in theirs.Method)
        {
            theirsByName[method.Name] = method;
        }
        var oursByName = new HashSet<string>(StringComparer.Ordinal);
        foreach (var method in ours.Method)
        {
            oursByName.Add(method.Name);
            if (!theirsByName.TryGetValue(method.Name, out var match))
            {
                MissingUpstream.Add($"method {name}.{method.Name}");
                continue;
            }
            if (method.InputType != match.InputType || method.OutputType != match.OutputType
                || method.ClientStreaming != match.ClientStreaming || method.ServerStreaming != match.ServerStreaming)
            {
                Differences.Add($"{name}.{method.Name}: {Signature(method)}, upstream {Signature(match)}");
            }
        }
        foreach (var method in theirs.Method)
        {
            if (!oursByName.Contains(method.Name))
            {
                UpstreamOnly.Add($"method {name}.{method.Name} {Signature(method)}");
            }
        }
    }

    /// <summary>Upstream messages, enums and services in the files we mirror that we do not define at all.</summary>
    private void ListUpstreamTypesWeLack(ICollection<string> ourFiles)
    {
        foreach (var (name, file) in _upstream.FileOf)
        {
            if (!ourFiles.Contains(file))
            {
                continue;
            }
            var kind = _upstream.Messages.ContainsKey(name) ? "message" : _upstream.Enums.ContainsKey(name) ? "enum" : "service";
            var ours = kind switch
            {
                "message" => _ours.Messages.ContainsKey(name),
                "enum" => _ours.Enums.ContainsKey(name),
                _ => _ours.Services.ContainsKey(name),
            };
            if (!ours)
            {
                UpstreamOnly.Add($"{kind} {name} ({file})");
            }
        }
    }

    private static string Describe(DescriptorProto message, FieldDescriptorProto field)
    {
        var oneof = OneofOf(message, field);
        return LabelOf(field) + (field.Proto3Optional ? " optional" : string.Empty) + " " + TypeOf(field)
            + (oneof is null ? string.Empty : " in oneof " + oneof);
    }

    private static string? OneofOf(DescriptorProto message, FieldDescriptorProto field)
    {
        if (!field.HasOneofIndex || field.Proto3Optional)
        {
            return null;
        }
        return message.OneofDecl[field.OneofIndex].Name;
    }

    private static string TypeOf(FieldDescriptorProto field) =>
        field.TypeName.Length > 0 ? field.TypeName.TrimStart('.') : field.Type.ToString().ToLowerInvariant();

    private static string LabelOf(FieldDescriptorProto field) => field.Label.ToString().ToLowerInvariant();

    private static string Signature(MethodDescriptorProto method) =>
        string.Create(CultureInfo.InvariantCulture, $"({(method.ClientStreaming ? "stream " : string.Empty)}{method.InputType.TrimStart('.')}) returns ({(method.ServerStreaming ? "stream " : string.Empty)}{method.OutputType.TrimStart('.')})");
}
