using Legate.Config;
using Legate.Http;
using Proto = Envoy.Config.Accesslog.V3;

namespace Legate.AccessLog.Filters;

/// <summary>Compiles an <c>AccessLogFilter</c> tree once, when the access log is built.</summary>
public static class AccessLogFilterBuilder
{
    /// <param name="config">The filter.</param>
    /// <param name="path">Its field path (e.g. <c>...access_log[0].filter</c>), for errors.</param>
    public static IAccessLogFilter Build(Proto.AccessLogFilter config, string path)
    {
        switch (config.FilterSpecifierCase)
        {
            case Proto.AccessLogFilter.FilterSpecifierOneofCase.StatusCodeFilter:
                {
                    var (op, value) = Comparison(config.StatusCodeFilter.Comparison, ConfigPath.Join(path, "status_code_filter.comparison"));
                    return new StatusCodeFilter(op, value);
                }
            case Proto.AccessLogFilter.FilterSpecifierOneofCase.DurationFilter:
                {
                    var (op, value) = Comparison(config.DurationFilter.Comparison, ConfigPath.Join(path, "duration_filter.comparison"));
                    return new DurationFilter(op, value);
                }
            case Proto.AccessLogFilter.FilterSpecifierOneofCase.NotHealthCheckFilter:
                return NotHealthCheckFilter.Instance;
            case Proto.AccessLogFilter.FilterSpecifierOneofCase.TraceableFilter:
                return TraceableFilter.Instance;
            case Proto.AccessLogFilter.FilterSpecifierOneofCase.RuntimeFilter:
                return Runtime(config.RuntimeFilter, ConfigPath.Join(path, "runtime_filter"));
            case Proto.AccessLogFilter.FilterSpecifierOneofCase.AndFilter:
                return new AndFilter(Children(config.AndFilter.Filters, ConfigPath.Join(path, "and_filter.filters")));
            case Proto.AccessLogFilter.FilterSpecifierOneofCase.OrFilter:
                return new OrFilter(Children(config.OrFilter.Filters, ConfigPath.Join(path, "or_filter.filters")));
            case Proto.AccessLogFilter.FilterSpecifierOneofCase.HeaderFilter:
                {
                    var headerPath = ConfigPath.Join(path, "header_filter.header");
                    if (config.HeaderFilter.Header is null)
                    {
                        throw new ConfigException(headerPath, "value is required");
                    }
                    return new HeaderFilter(HeaderMatcher.Compile(config.HeaderFilter.Header, headerPath));
                }
            case Proto.AccessLogFilter.FilterSpecifierOneofCase.ResponseFlagFilter:
                return ResponseFlagMask(config.ResponseFlagFilter, ConfigPath.Join(path, "response_flag_filter.flags"));
            case Proto.AccessLogFilter.FilterSpecifierOneofCase.GrpcStatusFilter:
                {
                    var statuses = new bool[17];
                    foreach (var status in config.GrpcStatusFilter.Statuses)
                    {
                        statuses[(int)status] = true;
                    }
                    return new GrpcStatusFilter(statuses, config.GrpcStatusFilter.Exclude);
                }
            case Proto.AccessLogFilter.FilterSpecifierOneofCase.ExtensionFilter:
                throw new ConfigException(ConfigPath.Join(path, "extension_filter"),
                    "unsupported access log filter extension \"" + config.ExtensionFilter.Name + "\"");
            case Proto.AccessLogFilter.FilterSpecifierOneofCase.MetadataFilter:
                throw new ConfigException(ConfigPath.Join(path, "metadata_filter"), "unsupported access log filter");
            case Proto.AccessLogFilter.FilterSpecifierOneofCase.LogTypeFilter:
                throw new ConfigException(ConfigPath.Join(path, "log_type_filter"), "unsupported access log filter");
            default:
                throw new ConfigException(path, "one of the access log filter types must be set");
        }
    }

    private static (ComparisonOp Op, long Value) Comparison(Proto.ComparisonFilter? comparison, string path)
    {
        if (comparison is null)
        {
            throw new ConfigException(path, "value is required");
        }
        if (comparison.Value is null)
        {
            throw new ConfigException(ConfigPath.Join(path, "value"), "value is required");
        }
        var op = comparison.Op switch
        {
            Proto.ComparisonFilter.Types.Op.Eq => ComparisonOp.Equal,
            Proto.ComparisonFilter.Types.Op.Ge => ComparisonOp.GreaterOrEqual,
            Proto.ComparisonFilter.Types.Op.Le => ComparisonOp.LessOrEqual,
            Proto.ComparisonFilter.Types.Op.Ne => ComparisonOp.NotEqual,
            _ => throw new ConfigException(ConfigPath.Join(path, "op"), "unknown value " + (int)comparison.Op),
        };
        // No runtime layer yet: runtime_key is never overridden, default_value applies.
        return (op, comparison.Value.DefaultValue);
    }

    private static IAccessLogFilter[] Children(IList<Proto.AccessLogFilter> configs, string path)
    {
        if (configs.Count < 2)
        {
            throw new ConfigException(path, "value must contain at least 2 item(s)");
        }
        var filters = new IAccessLogFilter[configs.Count];
        for (var i = 0; i < filters.Length; i++)
        {
            filters[i] = Build(configs[i], ConfigPath.Index(path, i));
        }
        return filters;
    }

    private static RuntimeFilter Runtime(Proto.RuntimeFilter config, string path)
    {
        if (config.RuntimeKey.Length == 0)
        {
            throw new ConfigException(ConfigPath.Join(path, "runtime_key"), "value length must be at least 1 characters");
        }
        var percent = config.PercentSampled;
        uint denominator = (percent?.Denominator ?? Envoy.Type.V3.FractionalPercent.Types.DenominatorType.Hundred) switch
        {
            Envoy.Type.V3.FractionalPercent.Types.DenominatorType.TenThousand => 10_000,
            Envoy.Type.V3.FractionalPercent.Types.DenominatorType.Million => 1_000_000,
            _ => 100,
        };
        return new RuntimeFilter(percent?.Numerator ?? 0, denominator, config.UseIndependentRandomness);
    }

    private static ResponseFlagFilter ResponseFlagMask(Proto.ResponseFlagFilter config, string path)
    {
        var mask = ResponseFlags.None;
        for (var i = 0; i < config.Flags.Count; i++)
        {
            var flag = ResponseFlagFilter.Parse(config.Flags[i]);
            if (flag == ResponseFlags.None)
            {
                throw new ConfigException(ConfigPath.Index(path, i), "unknown response flag \"" + config.Flags[i] + "\"");
            }
            mask |= flag;
        }
        return new ResponseFlagFilter(mask);
    }
}
