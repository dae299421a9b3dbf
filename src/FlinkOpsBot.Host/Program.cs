using FlinkOpsBot.Core.Lifecycle;
using FlinkOpsBot.Host.Composition;
using FlinkOpsBot.Host.Local;

switch (args.FirstOrDefault())
{
    case "local":
        return await LocalMode.RunAsync(args[1..]);
    case "lifecycle":
        Console.Write(LifecycleDoc());
        return 0;
    case "help" or "--help" or "-h":
        Console.WriteLine("""
            FlinkOpsBot: runs the Flink production cookbook from Slack, Microsoft Teams and the local shell.
              (no command)   serve: the Slack and Teams endpoints and the run engine, configured by appsettings.json / environment
              local [...]    the demo: FlinkSim in-process, in-memory store, a shell on the terminal
              lifecycle      print docs/run-lifecycle.md (the run lifecycle as a Mermaid diagram)
            """ + "\n" + LocalMode.Usage);
        return 0;
}

var builder = WebApplication.CreateBuilder(args);
builder.UseSerilog(quiet: false);
builder.Services.AddFlinkOpsBot(builder.Configuration);
var app = builder.Build();
app.MapFlinkOpsBot();
await app.RunAsync();
return 0;

static string LifecycleDoc() => $"""
    # Run lifecycle

    Generated from `RunLifecycle` (src/FlinkOpsBot.Core/Lifecycle/RunLifecycle.cs) by
    `dotnet run --project src/FlinkOpsBot.Host -- lifecycle > docs/run-lifecycle.md`; a test fails when they disagree.
    `Approve` moves the run only when the gate's quorum is reached; every other pair of state and trigger is refused.

    `ConfirmingPlan` sits between the gate and the first mutating step: the engine checks the preconditions again and
    recomputes the plan (docs/approval-and-plan.md). The same plan hash goes on (`PlanConfirmed`); a changed plan voids
    the approvals and opens the gate again (`PlanChanged`), with what changed on the card and the timeline; a failed
    precondition ends the run `PreconditionsFailed` with nothing changed.

    `AwaitingDecision` is a parked run: a step of the procedure or the rollback could not tell safely what the cluster
    did (the step is `Uncertain`; e.g. Flink forgot a stop's trigger id and the job is no longer RUNNING with no new
    savepoint to show for it). It never expires; the card shows the evidence and an approver (the gate's policy)
    chooses: `RetryStep` and `ContinueStep` return to the phase the run was parked in (the step Pending again, or
    marked done by that person), `RollBack` (only from the procedure) starts the rollback, `Abandon` ends the run
    `Abandoned` with the cluster left as it is and what to check on the card.

    ```mermaid
    {RunLifecycle.ToMermaid()}```

    """;

/// <summary>The entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
