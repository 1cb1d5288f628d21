using System.Collections;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Legate.Config;

namespace Legate.Admin.ConfigDump;

/// <summary>
/// Envoy's MessageUtil::redact for config dumps: every string and bytes value under a sensitive field
/// (TLS private keys, passwords, PKCS#12, session ticket keys, generic secrets) becomes "[redacted]",
/// including inside Anys the registry can unpack.
/// </summary>
internal static class SecretRedactor
{
    public const string Redacted = "[redacted]";

    private static readonly ByteString s_redactedBytes = ByteString.CopyFromUtf8(Redacted);

    // Fields Envoy's protos annotate with udpa.annotations.sensitive, by "<message full name>.<field name>".
    private static readonly HashSet<string> s_sensitive = new(StringComparer.Ordinal)
    {
        "envoy.extensions.transport_sockets.tls.v3.TlsCertificate.private_key",
        "envoy.extensions.transport_sockets.tls.v3.TlsCertificate.password",
        "envoy.extensions.transport_sockets.tls.v3.TlsCertificate.pkcs12",
        "envoy.extensions.transport_sockets.tls.v3.TlsSessionTicketKeys.keys",
        "envoy.extensions.transport_sockets.tls.v3.GenericSecret.secret",
        "envoy.extensions.transport_sockets.tls.v3.GenericSecret.secrets",
    };

    /// <summary>Redacts <paramref name="message"/> in place; returns true if anything changed.</summary>
    public static bool Redact(IMessage message) => Visit(message, sensitive: false);

    private static bool Visit(IMessage message, bool sensitive)
    {
        if (message is Any any)
        {
            return VisitAny(any, sensitive);
        }
        var changed = false;
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            var fieldSensitive = sensitive || s_sensitive.Contains(message.Descriptor.FullName + "." + field.Name);
            var value = field.Accessor.GetValue(message);
            if (field.IsMap)
            {
                foreach (DictionaryEntry entry in (IDictionary)value)
                {
                    changed |= entry.Value is IMessage m && Visit(m, fieldSensitive);
                }
                continue;
            }
            if (field.IsRepeated)
            {
                var list = (IList)value;
                for (var i = 0; i < list.Count; i++)
                {
                    if (list[i] is IMessage m)
                    {
                        changed |= Visit(m, fieldSensitive);
                    }
                    else if (fieldSensitive && Replacement(field) is { } r)
                    {
                        list[i] = r;
                        changed = true;
                    }
                }
                continue;
            }
            if (value is IMessage single)
            {
                changed |= Visit(single, fieldSensitive);
            }
            else if (fieldSensitive && Replacement(field) is { } r && IsSet(field, message))
            {
                field.Accessor.SetValue(message, r);
                changed = true;
            }
        }
        return changed;
    }

    private static bool VisitAny(Any any, bool sensitive)
    {
        var descriptor = any.TypeUrl.Length == 0 ? null : ApiTypes.FindMessage(Any.GetTypeName(any.TypeUrl));
        if (descriptor is null)
        {
            return false;
        }
        var inner = descriptor.Parser.ParseFrom(any.Value);
        if (!Visit(inner, sensitive))
        {
            return false;
        }
        any.Value = inner.ToByteString();
        return true;
    }

    private static object? Replacement(FieldDescriptor field) => field.FieldType switch
    {
        FieldType.String => Redacted,
        FieldType.Bytes => s_redactedBytes,
        _ => null,
    };

    private static bool IsSet(FieldDescriptor field, IMessage message)
    {
        if (field.RealContainingOneof is { } oneof)
        {
            return oneof.Accessor.GetCaseFieldDescriptor(message) == field;
        }
        var value = field.Accessor.GetValue(message);
        return value is string s ? s.Length > 0 : value is ByteString b && b.Length > 0;
    }
}
