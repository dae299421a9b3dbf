using System.Runtime.InteropServices;

namespace FlinkOpsBot.FlinkSim;

/// <summary>
/// <c>dotnet run --project src/FlinkOpsBot.FlinkSim [-- --urls http://127.0.0.1:8081] [--admin] [--extra-jobs N] [--cmf-version V]</c>:
/// the demo cluster and the CMF demo under <c>/cmf/api/v1</c> (answering as CMF <c>V</c>, default 2.3.1), until
/// Ctrl+C. <c>--admin</c> serves the admin API under <c>/_sim/</c>; <c>--extra-jobs N</c> adds N running
/// <c>chaos-job-NN</c> jobs (and N more slots) for a chaos harness. An explicit entry point (not top-level
/// statements), so this project's <c>Program</c> does not collide with the host's in tests that see both.
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        if (SimCommandLine.Parse(args, out var error) is not { } commandLine)
        {
            await Console.Error.WriteLineAsync($"FlinkSim: {error}");
            return 2;
        }

        var options = FlinkSimOptions.Demo();
        options.AdminApi = commandLine.Admin;
        options.CmfVersion = commandLine.CmfVersion;
        options.TotalSlots += commandLine.ExtraJobs;
        await using var server = await FlinkSimServer.StartAsync(options, urls: commandLine.Urls);
        SimCluster.SeedDemo(server.Cluster);
        SimCluster.SeedChaosJobs(server.Cluster, commandLine.ExtraJobs);
        SimCluster.SeedCmfDemo(server.Cluster);

        var stopped = new TaskCompletionSource();
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stopped.TrySetResult();
        }
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

        Console.WriteLine($"FlinkSim: a simulated Flink cluster with the demo jobs, REST API on {server.BaseAddress} (Ctrl+C stops it).");
        if (commandLine.Admin)
        {
            Console.WriteLine($"FlinkSim: admin API on {server.BaseAddress}_sim/ (POST/DELETE faults, GET mutations, GET calls).");
        }
        Console.WriteLine(
            $"FlinkSim: CMF {options.CmfVersion} REST API on {server.BaseAddress}cmf/api/v1/ (environment demo-env: orders-enricher, payments-fraud-detector).");
        var jobs = server.Cluster.Jobs;
        foreach (var job in jobs.Take(12)) Console.WriteLine($"  {job.Name,-26} {job.JobId}  {job.Status}");
        if (jobs.Count > 12) Console.WriteLine($"  … and {jobs.Count - 12} more chaos-job-NN jobs");
        await stopped.Task;
        return 0;
    }
}
