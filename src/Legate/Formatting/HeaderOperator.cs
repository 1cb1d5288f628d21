using System.Globalization;
using System.Text;

namespace Legate.Formatting;

/// <summary><c>%REQ(A?B):N%</c>, <c>%RESP(..)%</c>, <c>%TRAILER(..)%</c>: header A, else header B, truncated to N chars.</summary>
internal sealed class HeaderOperator : FormatOperator
{
    private readonly HeaderSource _source;
    private readonly string _main;
    private readonly string? _alternative;
    private readonly int _maxLength;

    private HeaderOperator(HeaderSource source, string main, string? alternative, int? maxLength)
    {
        _source = source;
        _main = main;
        _alternative = alternative;
        _maxLength = maxLength ?? int.MaxValue;
    }

    /// <summary>Parses <c>A?B</c>; header names are case-insensitive, so they are kept lower case.</summary>
    public static HeaderOperator Create(HeaderSource source, string subcommand, int? maxLength, string path)
    {
        var q = subcommand.IndexOf('?');
        if (q < 0)
        {
            return new HeaderOperator(source, subcommand.ToLowerInvariant(), null, maxLength);
        }
        if (subcommand.IndexOf('?', q + 1) >= 0)
        {
            throw new Config.ConfigException(path, "More than 1 alternative header specified in token: " + subcommand);
        }
        var main = subcommand[..q].ToLowerInvariant();
        var alternative = subcommand[(q + 1)..].ToLowerInvariant();
        return new HeaderOperator(source, main, alternative.Length == 0 ? null : alternative, maxLength);
    }

    public override bool TryAppend(in FormatContext context, StringBuilder output)
    {
        var value = Find(context, _main);
        if (value is null && _alternative is not null)
        {
            value = Find(context, _alternative);
        }
        if (value is null)
        {
            return false;
        }
        output.Append(value.AsSpan(0, Math.Min(value.Length, _maxLength)));
        return true;
    }

    private string? Find(in FormatContext context, string name)
    {
        switch (_source)
        {
            case HeaderSource.Request:
                return HeaderLookup.Request(context, name);
            case HeaderSource.Response:
                if (name == ":status")
                {
                    var code = context.StreamInfo.ResponseCode;
                    return code == 0 ? null : code.ToString(CultureInfo.InvariantCulture);
                }
                return HeaderLookup.First(context.ResponseHeaders, name);
            default:
                return HeaderLookup.First(context.ResponseTrailers, name);
        }
    }
}
