using System.Buffers;
using Legate.Config;
using Legate.Formatting;
using Microsoft.AspNetCore.Http;
using Google.Protobuf.Collections;
using Core = Envoy.Config.Core.V3;

namespace Legate.Router;

/// <summary>
/// One level's headers_to_add / headers_to_remove (route config, virtual host, route or weighted
/// cluster), compiled. Applied like Envoy's HeaderParser: remove first, then evaluate every value
/// against the headers as they are, then overwrite, then append.
/// </summary>
internal sealed class HeaderMutationLevel
{
    private readonly string[] _removes;
    private readonly HeaderAddition[] _adds;

    private HeaderMutationLevel(string[] removes, HeaderAddition[] adds)
    {
        _removes = removes;
        _adds = adds;
    }

    public bool IsEmpty => _removes.Length == 0 && _adds.Length == 0;

    /// <summary>Compiles one level; returns null when it has nothing to do.</summary>
    public static HeaderMutationLevel? Compile(
        RepeatedField<Core.HeaderValueOption> headersToAdd, string addPath,
        RepeatedField<string> headersToRemove, string removePath,
        Func<string, ISubstitutionFormatter> formatter)
    {
        if (headersToAdd.Count == 0 && headersToRemove.Count == 0)
        {
            return null;
        }
        var removes = new string[headersToRemove.Count];
        for (var i = 0; i < headersToRemove.Count; i++)
        {
            var name = headersToRemove[i];
            if (!IsModifiable(name))
            {
                throw new ConfigException(ConfigPath.Index(removePath, i), ":-prefixed or host headers may not be removed");
            }
            removes[i] = name.ToLowerInvariant();
        }
        var adds = new HeaderAddition[headersToAdd.Count];
        for (var i = 0; i < headersToAdd.Count; i++)
        {
            adds[i] = HeaderAddition.Compile(headersToAdd[i], ConfigPath.Index(addPath, i), formatter);
        }
        return new HeaderMutationLevel(removes, adds);
    }

    /// <summary>Envoy's isModifiableHeader: pseudo headers and host are off limits.</summary>
    internal static bool IsModifiable(string name) =>
        name.Length > 0 && name[0] != ':' && !string.Equals(name, "host", StringComparison.OrdinalIgnoreCase);

    public void Apply(IHeaderDictionary headers, in FormatContext context)
    {
        foreach (var name in _removes)
        {
            headers.Remove(name);
        }
        if (_adds.Length == 0)
        {
            return;
        }
        // Values first, against the headers as they are now; only then mutate.
        var values = ArrayPool<string?>.Shared.Rent(_adds.Length);
        var overwrite = ArrayPool<bool>.Shared.Rent(_adds.Length);
        try
        {
            for (var i = 0; i < _adds.Length; i++)
            {
                values[i] = _adds[i].Decide(headers, context, out overwrite[i]);
            }
            for (var i = 0; i < _adds.Length; i++)
            {
                if (values[i] is { } value && overwrite[i])
                {
                    headers[_adds[i].Name] = value;
                }
            }
            for (var i = 0; i < _adds.Length; i++)
            {
                if (values[i] is { } value && !overwrite[i])
                {
                    headers.Append(_adds[i].Name, value);
                }
            }
        }
        finally
        {
            Array.Clear(values, 0, _adds.Length);
            ArrayPool<string?>.Shared.Return(values);
            ArrayPool<bool>.Shared.Return(overwrite);
        }
    }

    private sealed class HeaderAddition
    {
        private readonly string? _literal;
        private readonly ISubstitutionFormatter? _formatter;
        private readonly Core.HeaderValueOption.Types.HeaderAppendAction _action;
        private readonly bool _keepEmpty;

        private HeaderAddition(string name, string? literal, ISubstitutionFormatter? formatter,
            Core.HeaderValueOption.Types.HeaderAppendAction action, bool keepEmpty)
        {
            Name = name;
            _literal = literal;
            _formatter = formatter;
            _action = action;
            _keepEmpty = keepEmpty;
        }

        public string Name { get; }

        public static HeaderAddition Compile(Core.HeaderValueOption option, string path, Func<string, ISubstitutionFormatter> formatterFactory)
        {
            var header = option.Header ?? throw new ConfigException(ConfigPath.Join(path, "header"), "header is required");
            if (header.Key.Length == 0)
            {
                throw new ConfigException(ConfigPath.Join(path, "header.key"), "header key must not be empty");
            }
            if (!IsModifiable(header.Key))
            {
                throw new ConfigException(ConfigPath.Join(path, "header.key"), ":-prefixed or host headers may not be modified");
            }
            var action = option.AppendAction;
            if (option.Append is { } append)
            {
                if (action != Core.HeaderValueOption.Types.HeaderAppendAction.AppendIfExistsOrAdd)
                {
                    throw new ConfigException(ConfigPath.Join(path, "append"), "Both append and append_action are set and it's not allowed");
                }
                action = append
                    ? Core.HeaderValueOption.Types.HeaderAppendAction.AppendIfExistsOrAdd
                    : Core.HeaderValueOption.Types.HeaderAppendAction.OverwriteIfExistsOrAdd;
            }
            var value = header.Value.Length == 0 && !header.RawValue.IsEmpty ? header.RawValue.ToStringUtf8() : header.Value;
            string? literal = null;
            ISubstitutionFormatter? formatter = null;
            if (value.Contains('%', StringComparison.Ordinal))
            {
                try
                {
                    formatter = formatterFactory(value);
                }
                catch (ConfigException e)
                {
                    throw e.Under(ConfigPath.Join(path, "header.value"));
                }
                catch (Exception e) when (e is ArgumentException or FormatException or NotSupportedException)
                {
                    throw new ConfigException(ConfigPath.Join(path, "header.value"), e.Message, e);
                }
            }
            else
            {
                literal = value;
            }
            return new HeaderAddition(header.Key.ToLowerInvariant(), literal, formatter, action, option.KeepEmptyValue);
        }

        /// <summary>The value to write (null = skip) and whether it replaces existing values.</summary>
        public string? Decide(IHeaderDictionary headers, in FormatContext context, out bool overwrite)
        {
            overwrite = false;
            var value = _literal ?? _formatter!.Format(context);
            if (value.Length == 0 && !_keepEmpty)
            {
                return null;
            }
            switch (_action)
            {
                case Core.HeaderValueOption.Types.HeaderAppendAction.AddIfAbsent:
                    return headers.ContainsKey(Name) ? null : value;
                case Core.HeaderValueOption.Types.HeaderAppendAction.OverwriteIfExists:
                    if (!headers.ContainsKey(Name))
                    {
                        return null;
                    }
                    overwrite = true;
                    return value;
                case Core.HeaderValueOption.Types.HeaderAppendAction.OverwriteIfExistsOrAdd:
                    overwrite = true;
                    return value;
                default:
                    return value;
            }
        }
    }
}
