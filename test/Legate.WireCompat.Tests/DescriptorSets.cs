using Google.Protobuf.Reflection;

namespace Legate.WireCompat.Tests;

/// <summary>Compiles our api/ and the same files from upstream into descriptor sets with protoc.</summary>
internal sealed class DescriptorSets
{
    private static readonly string[] UpstreamRoots = ["envoy-api", "xds", "googleapis", "protoc-gen-validate"];

    public required FileDescriptorSet Ours { get; init; }

    public required FileDescriptorSet Upstream { get; init; }

    /// <summary>Our .proto files, relative to api/ with '/' separators.</summary>
    public required IReadOnlyList<string> OurFiles { get; init; }

    /// <summary>Our files that exist nowhere in the upstream snapshot.</summary>
    public required IReadOnlyList<string> FilesMissingUpstream { get; init; }

    /// <summary>Fields the validate.proto shim had to declare (see <see cref="ValidateShim"/>).</summary>
    public required IReadOnlyList<string> ShimmedValidateFields { get; init; }

    public static DescriptorSets Build()
    {
        if (!Directory.Exists(RepoPaths.UpstreamDeps))
        {
            throw new UpstreamProtosMissingException(
                $"The upstream Envoy protos are not installed (expected {RepoPaths.UpstreamDeps}). Run `bash {RepoPaths.InstallScript}` "
                + "(needs node and npm) and re-run the tests.");
        }
        var protoc = Protoc.Locate();
        var scratch = Path.Combine(Path.GetTempPath(), "legate-wire-compat-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(scratch);
        try
        {
            var ourFiles = ListProtos(RepoPaths.Api);
            var ours = Compile(protoc, [RepoPaths.Api], ourFiles, Path.Combine(scratch, "ours.pb"), "api/");

            var upstreamFiles = new List<string>();
            var missing = new List<string>();
            foreach (var file in ourFiles)
            {
                if (FindUpstream(file))
                {
                    upstreamFiles.Add(file);
                }
                else
                {
                    missing.Add(file);
                }
            }
            using var shim = new ValidateShim(Path.Combine(RepoPaths.UpstreamDeps, "protoc-gen-validate"), scratch);
            var includes = new List<string> { shim.IncludePath };
            foreach (var root in UpstreamRoots)
            {
                includes.Add(Path.Combine(RepoPaths.UpstreamDeps, root));
            }
            var upstream = Compile(protoc, includes, upstreamFiles, Path.Combine(scratch, "upstream.pb"), "upstream", shim);
            return new DescriptorSets
            {
                Ours = ours,
                Upstream = upstream,
                OurFiles = ourFiles,
                FilesMissingUpstream = missing,
                ShimmedValidateFields = shim.Added,
            };
        }
        finally
        {
            try
            {
                Directory.Delete(scratch, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static bool FindUpstream(string relative)
    {
        foreach (var root in UpstreamRoots)
        {
            if (File.Exists(Path.Combine(RepoPaths.UpstreamDeps, root, relative)))
            {
                return true;
            }
        }
        return false;
    }

    private static FileDescriptorSet Compile(Protoc protoc, IReadOnlyList<string> includes, IReadOnlyList<string> files, string output, string what, ValidateShim? shim = null)
    {
        var arguments = new List<string>();
        foreach (var include in includes)
        {
            arguments.Add("--proto_path=" + include);
        }
        arguments.Add("--proto_path=" + protoc.WellKnownTypes);
        arguments.Add("--include_imports");
        arguments.Add("--descriptor_set_out=" + output);
        arguments.AddRange(files);
        // A few rounds: each protoc run reports the missing validate rule fields it met, patching can reveal more.
        for (var attempt = 0; ; attempt++)
        {
            var (ok, errors) = protoc.Run(arguments);
            if (ok)
            {
                break;
            }
            if (shim is null || attempt >= 5 || !shim.TryPatch(errors))
            {
                throw new InvalidOperationException($"protoc failed on the {what} protos:\n{errors}");
            }
        }
        return FileDescriptorSet.Parser.ParseFrom(File.ReadAllBytes(output));
    }

    private static List<string> ListProtos(string root)
    {
        var files = new List<string>();
        foreach (var path in Directory.EnumerateFiles(root, "*.proto", SearchOption.AllDirectories))
        {
            files.Add(Path.GetRelativePath(root, path).Replace('\\', '/'));
        }
        files.Sort(StringComparer.Ordinal);
        return files;
    }
}

/// <summary>The npm-installed upstream protos are absent: the message says how to install them.</summary>
internal sealed class UpstreamProtosMissingException(string message) : Exception(message);
