using System.Diagnostics;

namespace FlinkOpsBot.Host.Tests.Local;

/// <summary>Runs <c>FlinkOpsBot.Host local …</c> as its own process, as a user would, on a free loopback port.</summary>
internal static class LocalModeProcess
{
    /// <summary>Runs local mode with <paramref name="arguments"/> (after <c>local --urls http://127.0.0.1:0</c>) until it exits, at most 90 s.</summary>
    /// <returns>The exit code and everything it wrote to stdout, then stderr.</returns>
    /// <exception cref="Xunit.Sdk.XunitException">It did not exit within 90 s (it is killed, and the message has its output).</exception>
    public static Task<(int ExitCode, string Output)> RunAsync(params string[] arguments) => RunAsync(new Dictionary<string, string>(), arguments);

    /// <summary>As <see cref="RunAsync(string[])"/>, with <paramref name="environment"/> added to the process's environment (e.g. <c>FLINKOPSBOT_…</c> settings).</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        foreach (var argument in (string[])[Path.Combine(AppContext.BaseDirectory, "FlinkOpsBot.Host.dll"), "local", "--urls", "http://127.0.0.1:0", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException("local mode did not exit within 90 s:\n" + await stdout + await stderr);
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}
