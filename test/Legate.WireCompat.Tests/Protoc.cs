using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Xml.Linq;

namespace Legate.WireCompat.Tests;

/// <summary>
/// The protoc that builds Legate.Api: Grpc.Tools at the version pinned in Directory.Packages.props, from the NuGet
/// package folder (NUGET_PACKAGES, else what `dotnet nuget locals global-packages -l` reports, else ~/.nuget/packages).
/// </summary>
internal sealed class Protoc
{
    private Protoc(string executable, string wellKnownTypes)
    {
        Executable = executable;
        WellKnownTypes = wellKnownTypes;
    }

    public string Executable { get; }

    /// <summary>The include folder holding google/protobuf/*.proto.</summary>
    public string WellKnownTypes { get; }

    public static Protoc Locate()
    {
        var version = GrpcToolsVersion();
        var package = Path.Combine(PackageFolder(), "grpc.tools", version);
        var executable = Path.Combine(package, "tools", ToolsPlatform(), OperatingSystem.IsWindows() ? "protoc.exe" : "protoc");
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException(
                $"protoc not found at {executable}: restore the solution first (dotnet restore Legate.slnx) so Grpc.Tools {version} is in the package folder");
        }
        var include = Path.Combine(package, "build", "native", "include");
        return new Protoc(executable, include);
    }

    /// <summary>Runs protoc; returns its stderr when it fails so the caller can react to known upstream quirks.</summary>
    public (bool Ok, string Errors) Run(IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + Executable);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode == 0, stderr + stdout.Result);
    }

    private static string GrpcToolsVersion()
    {
        var props = XDocument.Load(Path.Combine(RepoPaths.Root, "Directory.Packages.props"));
        foreach (var element in props.Descendants("PackageVersion"))
        {
            if ((string?)element.Attribute("Include") == "Grpc.Tools")
            {
                return (string?)element.Attribute("Version") ?? throw new InvalidOperationException("Grpc.Tools has no Version in Directory.Packages.props");
            }
        }
        throw new InvalidOperationException("Grpc.Tools is not pinned in Directory.Packages.props");
    }

    private static string PackageFolder()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return fromEnvironment;
        }
        var fromDotnet = AskDotnet();
        if (fromDotnet is not null)
        {
            return fromDotnet;
        }
        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
    }

    private static string? AskDotnet()
    {
        try
        {
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = RepoPaths.Root,
            };
            foreach (var argument in new[] { "nuget", "locals", "global-packages", "-l" })
            {
                start.ArgumentList.Add(argument);
            }
            using var process = Process.Start(start);
            if (process is null)
            {
                return null;
            }
            var output = process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            const string Prefix = "global-packages:";
            foreach (var line in output.Split('\n'))
            {
                var trimmed = line.Trim();
                if (trimmed.StartsWith(Prefix, StringComparison.Ordinal))
                {
                    var path = trimmed.Substring(Prefix.Length).Trim();
                    return path.Length > 0 ? path : null;
                }
            }
            return null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static string ToolsPlatform()
    {
        var os = OperatingSystem.IsWindows() ? "windows" : OperatingSystem.IsMacOS() ? "macosx" : "linux";
        var cpu = RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "x64",
            Architecture.Arm64 => "arm64",
            Architecture.X86 => "x86",
            var other => throw new PlatformNotSupportedException("Grpc.Tools ships no protoc for " + other),
        };
        return os + "_" + cpu;
    }
}
