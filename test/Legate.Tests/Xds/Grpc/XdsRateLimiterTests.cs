using Envoy.Config.Core.V3;
using Legate.Xds.Grpc;

namespace Legate.Tests.Xds.Grpc;

public sealed class XdsRateLimiterTests
{
    [Fact]
    public void BucketEmptiesThenRefillsAtTheFillRate()
    {
        var time = new ManualTime();
        var limiter = new XdsRateLimiter(new RateLimitSettings { MaxTokens = 2, FillRate = 4 }, time);
        Assert.True(limiter.TryTake(out _));
        Assert.True(limiter.TryTake(out _));
        Assert.False(limiter.TryTake(out var wait));
        Assert.Equal(250, wait.TotalMilliseconds, 1);

        time.Advance(TimeSpan.FromMilliseconds(250));
        Assert.True(limiter.TryTake(out _));
        Assert.False(limiter.TryTake(out _));

        // Refill never exceeds max_tokens.
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(limiter.TryTake(out _));
        Assert.True(limiter.TryTake(out _));
        Assert.False(limiter.TryTake(out _));
    }

    [Fact]
    public void DefaultsAreEnvoys()
    {
        var limiter = new XdsRateLimiter(new RateLimitSettings(), new ManualTime());
        for (var i = 0; i < 100; i++)
        {
            Assert.True(limiter.TryTake(out _));
        }
        Assert.False(limiter.TryTake(out var wait));
        Assert.Equal(100, wait.TotalMilliseconds, 1);
    }

    private sealed class ManualTime : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
