using System.Collections;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace Legate.Config;

/// <summary>
/// Visits every Any in a message tree, including Anys packed inside Anys whose type <c>findMessage</c>
/// knows (a typed_config inside an HttpConnectionManager inside a listener filter's typed_config).
/// Config-load time only: it goes through reflection and re-serialises the Anys it changes.
/// </summary>
internal static class AnyWalker
{
    /// <summary>Calls <paramref name="visit"/> on each Any; it returns true when it changed the Any.
    /// Returns true if anything in <paramref name="message"/> changed.</summary>
    public static bool Visit(IMessage message, Func<string, MessageDescriptor?> findMessage, Func<Any, bool> visit)
    {
        var changed = false;
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            if (field.FieldType != FieldType.Message)
            {
                continue;
            }
            var value = field.Accessor.GetValue(message);
            if (field.IsMap)
            {
                foreach (DictionaryEntry entry in (IDictionary)value)
                {
                    changed |= entry.Value is IMessage item && VisitOne(item, findMessage, visit);
                }
            }
            else if (field.IsRepeated)
            {
                foreach (var item in (IList)value)
                {
                    changed |= item is IMessage m && VisitOne(m, findMessage, visit);
                }
            }
            else if (value is IMessage single)
            {
                changed |= VisitOne(single, findMessage, visit);
            }
        }
        return changed;
    }

    private static bool VisitOne(IMessage message, Func<string, MessageDescriptor?> findMessage, Func<Any, bool> visit)
    {
        if (message is not Any any)
        {
            return Visit(message, findMessage, visit);
        }
        if (visit(any))
        {
            return true;
        }
        var descriptor = any.TypeUrl.Length == 0 ? null : findMessage(Any.GetTypeName(any.TypeUrl));
        if (descriptor is null)
        {
            return false;
        }
        var inner = descriptor.Parser.ParseFrom(any.Value);
        if (!Visit(inner, findMessage, visit))
        {
            return false;
        }
        any.Value = inner.ToByteString();
        return true;
    }
}
