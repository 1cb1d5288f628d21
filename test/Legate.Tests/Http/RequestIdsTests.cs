using Legate.Http;

namespace Legate.Tests.Http;

public class RequestIdsTests
{
    [Fact]
    public void Ids_are_lower_case_version_4_uuids_with_random_digits_everywhere_else()
    {
        // 1,000 ids span several refills of the per-thread random buffer (256 ids each).
        var ids = new HashSet<string>();
        var digitsSeen = new HashSet<char>[36];
        for (var i = 0; i < digitsSeen.Length; i++)
        {
            digitsSeen[i] = [];
        }
        for (var n = 0; n < 1000; n++)
        {
            var id = RequestIds.Next();
            Assert.True(Guid.TryParseExact(id, "D", out _), id);
            Assert.Equal(id.ToLowerInvariant(), id);
            Assert.Equal('4', id[14]);
            Assert.Contains(id[19], "89ab");
            Assert.True(ids.Add(id), "repeated id " + id);
            for (var i = 0; i < id.Length; i++)
            {
                digitsSeen[i].Add(id[i]);
            }
        }
        for (var i = 0; i < 36; i++)
        {
            var expected = i switch
            {
                8 or 13 or 18 or 23 => 1, // the dashes
                14 => 1, // the version
                19 => 4, // the variant: 8, 9, a or b
                _ => 16,
            };
            Assert.True(digitsSeen[i].Count == expected, $"position {i}: {digitsSeen[i].Count} distinct characters");
        }
    }
}
