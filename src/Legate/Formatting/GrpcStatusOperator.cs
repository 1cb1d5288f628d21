using System.Text;
using Legate.Config;

namespace Legate.Formatting;

/// <summary>
/// <c>%GRPC_STATUS%</c> / <c>%GRPC_STATUS(CAMEL_STRING|SNAKE_STRING|NUMBER)%</c> / <c>%GRPC_STATUS_NUMBER%</c>;
/// missing for requests that are not gRPC.
/// </summary>
internal sealed class GrpcStatusOperator : FormatOperator
{
    private enum Style
    {
        Camel,
        Snake,
        Number,
    }

    private readonly Style _style;

    private GrpcStatusOperator(Style style) => _style = style;

    public static readonly GrpcStatusOperator Number = new(Style.Number);

    public static GrpcStatusOperator Create(string subcommand, string path) => subcommand switch
    {
        "" or "CAMEL_STRING" => new GrpcStatusOperator(Style.Camel),
        "SNAKE_STRING" => new GrpcStatusOperator(Style.Snake),
        "NUMBER" => Number,
        _ => throw new ConfigException(path, "GrpcStatusFormatter only supports CAMEL_STRING, SNAKE_STRING or NUMBER."),
    };

    public override bool IsNumber => _style == Style.Number;

    public override bool TryAppend(in FormatContext context, StringBuilder output)
    {
        if (!GrpcStatusCodes.IsGrpcRequest(context))
        {
            return false;
        }
        var code = GrpcStatusCodes.Resolve(context);
        if (code is null)
        {
            return false;
        }
        var name = _style switch
        {
            Style.Camel => GrpcStatusCodes.CamelName(code.Value),
            Style.Snake => GrpcStatusCodes.SnakeName(code.Value),
            _ => null,
        };
        if (name is null)
        {
            NumberWriter.Append(output, code.Value);
        }
        else
        {
            output.Append(name);
        }
        return true;
    }
}
