using System.Runtime.InteropServices;

namespace FlinkOpsBot.FlinkSim;

/// <summary>
/// <c>dotnet run --project src/FlinkOpsBot.FlinkSim [-- --urls http://127.0.0.1:8081]</c>: the demo cluster, until Ctrl+C.
/// An explicit entry point (not top-level statements), so this project's <c>Program</c> does not collide with the host's
/// in tests that see both.
/// </summary>
internal static class Program
{
    private static async Task Main(string[] args)
    {
        var urls = new ConfigurationBuilder().AddCommandLine(args).Build()["urls"] ?? "http://127.0.0.1:8081";
        await using var server = await FlinkSimServer.StartAsync(FlinkSimOptions.Demo(), urls: urls);
        SimCluster.SeedDemo(server.Cluster);

        var stopped = new TaskCompletionSource();
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stopped.TrySetResult();
        }
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

        Console.WriteLine($"FlinkSim: a simulated Flink cluster with the demo jobs, REST API on {server.BaseAddress} (Ctrl+C stops it).");
        foreach (var job in server.Cluster.Jobs) Console.WriteLine($"  {job.Name,-26} {job.JobId}  {job.Status}");
        await stopped.Task;
    }
}
