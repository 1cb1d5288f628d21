using Legate.Listeners.Kestrel;

namespace Legate.Tests.Listeners.Kestrel;

public class SchedulingConnectionListenerTests
{
    [Theory]
    // The CLI's default: HTTP/1 runs on the epoll thread that completed the read, HTTP/2 on Kestrel's I/O queues.
    [InlineData(false, true, true)]
    [InlineData(true, true, false)]
    // Completions on the thread pool: both protocols on the I/O queues.
    [InlineData(false, false, false)]
    [InlineData(true, false, false)]
    public void Http1_runs_inline_only_when_socket_completions_do(bool http2, bool inlineCompletions, bool expected)
    {
        Assert.Equal(expected, SchedulingConnectionListener.RunsInline(http2, inlineCompletions));
    }
}
