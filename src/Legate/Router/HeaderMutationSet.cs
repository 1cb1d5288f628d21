using Legate.Formatting;
using Microsoft.AspNetCore.Http;

namespace Legate.Router;

/// <summary>
/// Header mutations of several levels, in the order Envoy evaluates them (each level removes,
/// then adds; a later level overrides an earlier one).
/// </summary>
public sealed class HeaderMutationSet
{
    public static readonly HeaderMutationSet Empty = new([]);

    private readonly HeaderMutationLevel[] _levels;

    internal HeaderMutationSet(HeaderMutationLevel[] levels)
    {
        _levels = levels;
    }

    public bool IsEmpty => _levels.Length == 0;

    /// <summary>Number of non-empty levels (for tests and config dumps).</summary>
    public int LevelCount => _levels.Length;

    internal static HeaderMutationSet Of(params HeaderMutationLevel?[] levels)
    {
        var count = 0;
        foreach (var level in levels)
        {
            if (level is not null && !level.IsEmpty)
            {
                count++;
            }
        }
        if (count == 0)
        {
            return Empty;
        }
        var compact = new HeaderMutationLevel[count];
        count = 0;
        foreach (var level in levels)
        {
            if (level is not null && !level.IsEmpty)
            {
                compact[count++] = level;
            }
        }
        return new HeaderMutationSet(compact);
    }

    public void Apply(IHeaderDictionary headers, in FormatContext context)
    {
        foreach (var level in _levels)
        {
            level.Apply(headers, context);
        }
    }
}
