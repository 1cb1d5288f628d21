using System.Diagnostics;
using System.Text;
using Legate.Http;

namespace Legate.Formatting;

/// <summary>
/// <c>%DURATION%</c> and the <c>%*_DURATION%</c> family: whole milliseconds from the stream start to a
/// timestamp, missing when that moment did not happen.
/// </summary>
internal sealed class DurationOperator : FormatOperator
{
    private readonly Func<StreamInfo, long?> _milliseconds;

    private DurationOperator(Func<StreamInfo, long?> milliseconds) => _milliseconds = milliseconds;

    public override bool IsNumber => true;

    /// <summary>Total time: to completion, or to now while the stream is still open (Envoy's currentDuration).</summary>
    public static readonly DurationOperator Total = new(static si =>
        si.StartTimestamp == 0 ? null : si.MillisecondsSinceStart(si.CompleteTimestamp != 0 ? si.CompleteTimestamp : Stopwatch.GetTimestamp()));

    /// <summary>Until the last byte of the request was received downstream.</summary>
    public static readonly DurationOperator Request = new(static si => Since(si, si.RequestCompleteTimestamp));

    /// <summary>
    /// Until the last request byte went upstream. StreamInfo records only the first upstream byte, and the body is
    /// streamed through, so the later of that and the request's completion stands in for the last byte.
    /// </summary>
    public static readonly DurationOperator RequestTx = new(static si =>
        si.FirstUpstreamTxByteTimestamp == 0 ? null : Since(si, Math.Max(si.FirstUpstreamTxByteTimestamp, si.RequestCompleteTimestamp)));

    /// <summary>Until the first byte of the upstream response arrived.</summary>
    public static readonly DurationOperator Response = new(static si => Since(si, si.FirstUpstreamRxByteTimestamp));

    /// <summary>From the first upstream response byte to the last byte sent downstream.</summary>
    public static readonly DurationOperator ResponseTx = new(static si =>
    {
        if (si.FirstUpstreamRxByteTimestamp == 0 || si.LastDownstreamTxByteTimestamp == 0)
        {
            return null;
        }
        return (long)Stopwatch.GetElapsedTime(si.FirstUpstreamRxByteTimestamp, si.LastDownstreamTxByteTimestamp).TotalMilliseconds;
    });

    public override bool TryAppend(in FormatContext context, StringBuilder output)
    {
        var ms = _milliseconds(context.StreamInfo);
        if (ms is null)
        {
            return false;
        }
        NumberWriter.Append(output, ms.Value);
        return true;
    }

    private static long? Since(StreamInfo si, long timestamp) =>
        si.StartTimestamp == 0 ? null : si.MillisecondsSinceStart(timestamp);
}
