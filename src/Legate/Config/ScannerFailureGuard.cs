using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Legate.Config;

/// <summary>
/// YamlDotNet's scanner fails on some malformed input (an unclosed flow sequence, for one) with a bare
/// InvalidOperationException instead of a YamlException. Marking the failures that come out of the parser
/// tells them apart from any our own conversion code could raise, without inspecting stack frames
/// (which a native AOT build does not keep).
/// </summary>
internal sealed class ScannerFailureGuard(IParser inner) : IParser
{
    public ParsingEvent? Current => inner.Current;

    public bool MoveNext()
    {
        try
        {
            return inner.MoveNext();
        }
        catch (InvalidOperationException e)
        {
            throw new ScannerFailedException(e);
        }
    }

    internal sealed class ScannerFailedException(InvalidOperationException inner) : Exception(inner.Message, inner);
}
