using System.Runtime.InteropServices;
using FlinkOpsBot.Chaos;

if (args is ["--help" or "-h" or "help"])
{
    Console.WriteLine(ChaosOptions.Usage);
    return 0;
}
if (!ChaosOptions.TryParse(args, out var options, out var problem))
{
    await Console.Error.WriteLineAsync(problem + "\n" + ChaosOptions.Usage);
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    Console.Error.WriteLine("Ctrl+C: stopping every process the harness started.");
    cancel.Cancel();
};
// SIGTERM and SIGHUP (a closed terminal) stop the harness like Ctrl+C, so its children never outlive it.
void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    Console.Error.WriteLine($"{context.Signal}: stopping every process the harness started.");
    cancel.Cancel();
}
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var hangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Stop);
AppDomain.CurrentDomain.ProcessExit += (_, _) => ChildProcess.KillAll();

try
{
    await using var harness = await Harness.SetUpAsync(options, cancel.Token);
    return await harness.RunAsync(cancel.Token);
}
catch (SetupException e)
{
    await Console.Error.WriteLineAsync("chaos: " + e.Message);
    return 2;
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    await Console.Error.WriteLineAsync("chaos: cancelled; no report.");
    return 130;
}
finally
{
    ChildProcess.KillAll();
}
