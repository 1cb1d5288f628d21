using System.Text;
using Legate.Extensions.Filters.Http.Router;

namespace Legate.Tests.Router.Retries;

public sealed class RetryRequestBodyTests
{
    [Fact]
    public async Task Rewind_replays_what_was_read_then_continues_with_the_rest()
    {
        using var body = new RetryRequestBody(new MemoryStream(Encoding.ASCII.GetBytes("hello world")), limit: 1024);
        var first = new byte[5];
        Assert.Equal(5, await body.ReadAsync(first));
        Assert.Equal("hello", Encoding.ASCII.GetString(first));

        Assert.True(body.Rewind());
        Assert.Equal("hello world", await ReadAllAsync(body));

        Assert.True(body.Rewind());
        Assert.Equal("hello world", await ReadAllAsync(body));
    }

    [Fact]
    public async Task Past_the_limit_the_copy_is_dropped_and_rewind_refuses()
    {
        using var body = new RetryRequestBody(new MemoryStream(Encoding.ASCII.GetBytes("0123456789abcdef")), limit: 8);
        Assert.Equal("0123456789abcdef", await ReadAllAsync(body));
        Assert.False(body.CanReplay);
        Assert.False(body.Rewind());
    }

    [Fact]
    public async Task A_body_that_fits_exactly_stays_replayable()
    {
        using var body = new RetryRequestBody(new MemoryStream(Encoding.ASCII.GetBytes("12345678")), limit: 8);
        Assert.Equal("12345678", await ReadAllAsync(body));
        Assert.True(body.Rewind());
        Assert.Equal("12345678", await ReadAllAsync(body));
        Assert.Equal(8, body.Buffered);
    }

    private static async Task<string> ReadAllAsync(Stream stream)
    {
        var output = new MemoryStream();
        var buffer = new byte[3];
        int n;
        while ((n = await stream.ReadAsync(buffer)) > 0)
        {
            output.Write(buffer, 0, n);
        }
        return Encoding.ASCII.GetString(output.ToArray());
    }
}
