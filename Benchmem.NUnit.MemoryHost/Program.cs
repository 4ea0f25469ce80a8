using System.Security;
using NUnit.Framework.Api;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;

// Runs the named tests of a test assembly with NUnit's built-in runner, single-threaded. Benchmem's commands see
// BENCHMEM_ROLE=memory-host and take only the memory passes, writing them to the file the test host named.
if (args.Length != 2 || !File.Exists(args[0]) || !File.Exists(args[1]))
{
    Console.Error.WriteLine("usage: Benchmem.NUnit.MemoryHost <tests.dll> <file with one test FullName per line>");
    return 2;
}
// NUnit routes Console output during a test to that test's result: failures are told on the process's own stderr.
var log = Console.Error;
var names = File.ReadAllLines(args[1]).Where(l => l.Length > 0).ToArray();
var filter = TestFilter.FromXml("<filter><or>" + string.Concat(names.Select(n => $"<test>{SecurityElement.Escape(n)}</test>")) + "</or></filter>");
var runner = new NUnitTestAssemblyRunner(new DefaultTestAssemblyBuilder());
runner.Load(Path.GetFullPath(args[0]), new Dictionary<string, object> { ["NumberOfTestWorkers"] = 0 });
var result = runner.Run(new Silent(log), filter);
Console.Error.WriteLine($"memory host: {runner.CountTestCases(filter)} of {names.Length} test(s) matched; {result.PassCount} passed, {result.FailCount} failed");
// The failed tests were told one by one above; NUnit's summary of them ("One or more child tests had errors") adds nothing.
if (result.Message is { Length: > 0 } && result.ResultState.Site != FailureSite.Child)
    Console.Error.WriteLine(result.Message);
if (Environment.GetEnvironmentVariable("BENCHMEM_HOST_DEBUG") == "1") Console.Error.WriteLine(result.ToXml(true).OuterXml);
return 0;

/// <summary>Results travel through Benchmem's own file; only failures are told, for the test host's log.</summary>
internal sealed class Silent(TextWriter log) : ITestListener
{
    public void TestStarted(ITest test) { }

    public void TestFinished(ITestResult result)
    {
        if (result.ResultState.Status == TestStatus.Failed && (!result.Test.IsSuite || result.ResultState.Site != FailureSite.Child))
            log.WriteLine($"{result.Test.FullName}: {result.Message}");
    }

    public void TestOutput(TestOutput output) { }
    public void SendMessage(TestMessage message) { }
}
