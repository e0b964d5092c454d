package io.eddy.ops.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dashboard.js keeps each model's plots in {@code window.eddyCharts[name]}. "__proto__" is a valid model name
 * (letters, digits, '.', '_', '-'), and when that was a plain object, {@code eddyCharts[name]} was
 * Object.prototype: the script wrote its plots onto every object, each later model found a foreign "existing"
 * chart in its empty {@code entry.charts}, called {@code existing.plot.destroy()} on it and the refresh threw: the
 * page said "cannot reach the engine" and stopped showing the other models. Runs the served script in Node with
 * a small DOM stand-in (skipped where there is no {@code node}).
 */
class DashboardScriptTest {
    private static final String HARNESS = """
            class El {
              constructor(tag) {
                this.tagName = tag.toUpperCase(); this.attrs = {}; this.children = []; this.parent = null;
                this.style = {}; this.textContent = ""; this.clientWidth = 600; this.classList = {add() {}};
              }
              setAttribute(k, v) { this.attrs[k] = String(v); }
              getAttribute(k) { return Object.hasOwn(this.attrs, k) ? this.attrs[k] : null; }
              append(...cs) { for (const c of cs) { if (c instanceof El) { c.parent = this; this.children.push(c); } } }
              replaceChildren(...cs) { this.children = []; this.append(...cs); }
              remove() { if (this.parent) { this.parent.children = this.parent.children.filter((x) => x !== this); } }
              get lastChild() { return this.children[this.children.length - 1]; }
              querySelector(sel) {
                const attr = sel.match(/^\\[([\\w-]+)="(.*)"\\]$/);
                const hit = (e) => sel.startsWith(".") ? (e.attrs.class || "").split(" ").includes(sel.slice(1))
                    : attr ? e.attrs[attr[1]] === attr[2] : e.tagName === sel.toUpperCase();
                const walk = (e) => {
                  for (const c of e.children) { if (hit(c)) { return c; } const r = walk(c); if (r) { return r; } }
                  return null;
                };
                return walk(this);
              }
            }
            globalThis.Node = El;
            globalThis.window = globalThis;
            const ids = {};
            for (const id of ["updated", "empty", "models", "details"]) { ids[id] = new El("div"); }
            let ready = null;
            globalThis.document = {
              title: "", createElement: (tag) => new El(tag), getElementById: (id) => ids[id],
              addEventListener: (event, fn) => { ready = fn; },
            };
            globalThis.uPlot = class { setData() {} destroy() {} };
            let next = null;
            globalThis.setTimeout = (fn) => { next = fn; };
            const model = (name) => ({
              name, runningHere: true,
              definition: {name, type: "ftrl", status: "active", generation: 1, incarnation: 1},
              summary: {tasks: 1, reporting: true, updates: 5, seen: 5, rejected: 0, eventsPerSecond: 1},
              tasks: [{model: name, task: "0_0", timestamp: 1000, eventsPerSecond: 1, p50Ms: 1, p99Ms: 2,
                rejected: 0, seq: 1, stale: false}],
              history: [{model: name, task: "0_0", timestamp: 1000, eventsPerSecond: 1, p50Ms: 1, p99Ms: 2,
                rejected: 0, seq: 1}],
            });
            const names = process.argv.slice(2);
            globalThis.fetch = async () => ({ok: true, status: 200,
              json: async () => ({now: 1000, lastSeq: 1, staleAfterMs: 25000, models: names.map(model)})});
            """;

    private static final String DRIVER = """
            Eddy.start(null);
            (async () => {
              await ready();
              await next();
              console.log("RESULT " + ids.updated.textContent);
            })();
            """;

    @TempDir
    Path dir;

    @Test
    void shouldShowTheOtherModelsNextToOneNamedProto() throws Exception {
        assumeTrue(nodeAvailable(), "no node on this machine");
        final Path script = dir.resolve("dashboard-test.js");
        try (InputStream in = EngineHttpServer.class.getClassLoader()
                .getResourceAsStream("io/eddy/ops/http/assets/dashboard.js")) {
            Files.writeString(script, HARNESS + new String(in.readAllBytes(), StandardCharsets.UTF_8) + DRIVER);
        }
        assertTrue(run(script, "a-model", "m").startsWith("updated"), "the harness works for ordinary names");
        final String shown = run(script, "__proto__", "m");
        assertTrue(shown.startsWith("updated"), "the page with a model named __proto__ says: " + shown);
    }

    private static String run(final Path script, final String... models) throws IOException, InterruptedException {
        final String[] command = new String[models.length + 2];
        command[0] = "node";
        command[1] = script.toString();
        System.arraycopy(models, 0, command, 2, models.length);
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "node finished");
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), output);
        return output.lines().filter(line -> line.startsWith("RESULT ")).findFirst()
                .orElseThrow(() -> new AssertionError("no result: " + output)).substring("RESULT ".length());
    }

    private static boolean nodeAvailable() {
        try {
            final Process process = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (final IOException e) {
            return false;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
