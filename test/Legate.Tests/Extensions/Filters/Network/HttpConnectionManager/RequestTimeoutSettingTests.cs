using Google.Protobuf.WellKnownTypes;
using Legate.Extensions.Filters.Network.HttpConnectionManager;
using HcmProto = Envoy.Extensions.Filters.Network.HttpConnectionManager.V3.HttpConnectionManager;

namespace Legate.Tests.Extensions.Filters.Network.HttpConnectionManager;

/// <summary>request_timeout as Envoy reads it: unset and 0 both mean no timer.</summary>
public class RequestTimeoutSettingTests
{
    [Fact]
    public void UnsetIsDisabled() =>
        Assert.Null(HttpConnectionManagerSettingsBuilder.Build(new HcmProto(), "hcm").RequestTimeout);

    [Fact]
    public void ZeroIsDisabled() =>
        Assert.Null(HttpConnectionManagerSettingsBuilder.Build(new HcmProto { RequestTimeout = new Duration() }, "hcm").RequestTimeout);

    [Fact]
    public void DurationIsKept() =>
        Assert.Equal(TimeSpan.FromMilliseconds(500), HttpConnectionManagerSettingsBuilder.Build(new HcmProto { RequestTimeout = new Duration { Nanos = 500_000_000 } }, "hcm").RequestTimeout);
}
