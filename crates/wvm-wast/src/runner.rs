//! Running one `.wast` script directive by directive.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use wast::parser::{self, ParseBuffer};
use wast::{QuoteWat, Wast, WastDirective, WastExecute, WastInvoke, Wat};
use wvm_binary::Features;

use crate::backend::{Backend, ExecError, InstanceId};
use crate::report::{FileReport, Note, Outcome};
use crate::values::{arg_value, check_results, Value};

/// Why a module was rejected before reaching the engine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rejection {
    /// The `wast` crate could not turn the text into a binary.
    Text(String),
    /// The wvm decoder rejected the binary (`message` without the offset suffix).
    Decode { message: String, display: String },
    /// The wvm validator rejected the module.
    Validate { message: String, display: String },
}

impl Rejection {
    fn display(&self) -> &str {
        match self {
            Rejection::Text(m) => m,
            Rejection::Decode { display, .. } | Rejection::Validate { display, .. } => display,
        }
    }
}

/// Decodes and validates `bytes` with wvm's own decoder and validator.
pub fn check_module(bytes: &[u8], features: &Features) -> Result<(), Rejection> {
    let module = wvm_binary::decode(bytes, features).map_err(|e| Rejection::Decode {
        message: e.message.clone(),
        display: e.to_string(),
    })?;
    wvm_validate::validate(&module, features).map_err(|e| Rejection::Validate {
        message: e.message.clone(),
        display: e.to_string(),
    })
}

/// Whether an error message agrees with the wording a script expects. Scripts sometimes
/// give only the start of a message, engines sometimes add detail, so containment either
/// way counts.
pub fn message_matches(expected: &str, actual: &str) -> bool {
    let (e, a) = (expected.trim(), actual.trim());
    !e.is_empty() && (a.contains(e) || (!a.is_empty() && e.contains(a)))
}

/// Runs `.wast` scripts.
#[derive(Clone, Debug)]
pub struct WastRunner {
    features: Features,
    engine: bool,
    /// Why execution directives are skipped when `engine` is off.
    no_engine_reason: String,
}

const NO_ENGINE: &str = "engine not available yet";

impl WastRunner {
    /// A runner validating with `features`, executing with the wvm engine when it exists.
    pub fn new(features: Features) -> Self {
        WastRunner {
            features,
            engine: crate::engine::AVAILABLE,
            no_engine_reason: NO_ENGINE.to_string(),
        }
    }

    /// Only decode and validate; every execution directive is skipped.
    pub fn without_engine(mut self) -> Self {
        self.engine = false;
        self
    }

    /// Only decode and validate, skipping execution directives with `reason`.
    pub fn without_engine_because(mut self, reason: &str) -> Self {
        self.engine = false;
        self.no_engine_reason = reason.to_string();
        self
    }

    pub fn features(&self) -> &Features {
        &self.features
    }

    /// Whether execution directives run.
    pub fn executes(&self) -> bool {
        self.engine
    }

    /// Runs the script at `path`; an unreadable file is reported as one failure.
    pub fn run_file(&self, path: &Path) -> FileReport {
        let name = path.display().to_string();
        match std::fs::read(path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => self.run_text(&name, &text),
                Err(_) => failed_file(&name, "file is not valid UTF-8".into()),
            },
            Err(e) => failed_file(&name, format!("cannot read file: {e}")),
        }
    }

    /// Runs a script given as text. Never panics: a panic inside wvm while handling a
    /// directive is caught and counted as that directive's failure.
    pub fn run_text(&self, name: &str, text: &str) -> FileReport {
        let mut lexer = wast::lexer::Lexer::new(text);
        lexer.allow_confusing_unicode(true);
        let buf = match ParseBuffer::new_with_lexer(lexer) {
            Ok(b) => b,
            Err(e) => return failed_file(name, parse_error(e, name, text)),
        };
        let wast = match parser::parse::<Wast>(&buf) {
            Ok(w) => w,
            Err(e) => return failed_file(name, parse_error(e, name, text)),
        };
        self.run_directives(name, text, wast.directives)
    }

    /// Every directive of the script is skipped with `reason` (e.g. an unsupported proposal).
    pub fn skip_text(&self, name: &str, text: &str, reason: &str) -> FileReport {
        let mut report = FileReport::new(name);
        let mut lexer = wast::lexer::Lexer::new(text);
        lexer.allow_confusing_unicode(true);
        let parsed = ParseBuffer::new_with_lexer(lexer)
            .and_then(|buf| parser::parse::<Wast>(&buf).map(|w| w.directives.len()));
        match parsed {
            Ok(n) => {
                for _ in 0..n.max(1) {
                    report.record(0, Outcome::Skipped(reason.to_string()));
                }
            }
            Err(e) => report.record(0, Outcome::Failed(parse_error(e, name, text))),
        }
        report
    }

    fn run_directives(
        &self,
        name: &str,
        text: &str,
        directives: Vec<WastDirective<'_>>,
    ) -> FileReport {
        let mut report = FileReport::new(name);
        let backend = if self.engine {
            catch_unwind(|| crate::engine::backend(&self.features))
                .unwrap_or_else(|p| Err(format!("panic: {}", panic_text(&p))))
        } else {
            Err(self.no_engine_reason.clone())
        };
        let mut script = Script {
            features: self.features,
            backend,
            current: None,
            named: HashMap::new(),
            definitions: HashMap::new(),
            last_definition: None,
        };
        for directive in directives {
            let line = directive.span().linecol_in(text).0 + 1;
            let step = catch_unwind(AssertUnwindSafe(|| script.directive(directive)))
                .unwrap_or_else(|p| Step::fail(format!("panic in wvm: {}", panic_text(&p))));
            match step.message {
                Some((true, _)) => report.messages_matched += 1,
                Some((false, text)) => report.messages_differed.push(Note { line, text }),
                None => {}
            }
            report.record(line, step.outcome);
        }
        report
    }
}

fn panic_text(p: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "(no message)".to_string()
    }
}

fn parse_error(mut e: wast::Error, name: &str, text: &str) -> String {
    e.set_text(text);
    e.set_path(Path::new(name));
    format!("cannot parse script: {e}")
}

fn failed_file(name: &str, why: String) -> FileReport {
    let mut r = FileReport::new(name);
    r.record(0, Outcome::Failed(why));
    r
}

/// Outcome of one directive plus, for rejections, whether the wording matched.
struct Step {
    outcome: Outcome,
    message: Option<(bool, String)>,
}

impl Step {
    fn pass() -> Self {
        Step {
            outcome: Outcome::Passed,
            message: None,
        }
    }
    fn fail(why: String) -> Self {
        Step {
            outcome: Outcome::Failed(why),
            message: None,
        }
    }
    fn skip(why: &str) -> Self {
        Step {
            outcome: Outcome::Skipped(why.to_string()),
            message: None,
        }
    }
    fn from(r: Result<(), String>) -> Self {
        match r {
            Ok(()) => Step::pass(),
            Err(e) => Step::fail(e),
        }
    }
}

/// The state of one running script.
struct Script {
    features: Features,
    backend: Result<Box<dyn Backend>, String>,
    current: Option<InstanceId>,
    named: HashMap<String, InstanceId>,
    definitions: HashMap<String, Vec<u8>>,
    last_definition: Option<Vec<u8>>,
}

fn encode(module: &mut QuoteWat<'_>) -> Result<Vec<u8>, String> {
    module.encode().map_err(|e| e.to_string())
}

fn encode_wat(module: &mut Wat<'_>) -> Result<Vec<u8>, String> {
    module.encode().map_err(|e| e.to_string())
}

impl Script {
    fn backend(&mut self) -> Result<&mut Box<dyn Backend>, String> {
        self.backend.as_mut().map_err(|e| e.clone())
    }

    fn has_backend(&self) -> Option<String> {
        self.backend.as_ref().err().cloned()
    }

    fn directive(&mut self, d: WastDirective<'_>) -> Step {
        match d {
            WastDirective::Module(mut m) => {
                let name = m.name().map(|id| id.name().to_string());
                Step::from(self.module(&mut m, name))
            }
            WastDirective::ModuleDefinition(mut m) => {
                let name = m.name().map(|id| id.name().to_string());
                Step::from(self.define(&mut m, name))
            }
            WastDirective::ModuleInstance {
                instance, module, ..
            } => {
                if let Some(why) = self.has_backend() {
                    return Step::skip(&why);
                }
                Step::from(self.instance(
                    instance.map(|i| i.name().to_string()),
                    module.map(|m| m.name().to_string()),
                ))
            }
            WastDirective::AssertMalformed {
                mut module,
                message,
                ..
            } => self.assert_malformed(&mut module, message),
            WastDirective::AssertInvalid {
                mut module,
                message,
                ..
            } => self.assert_invalid(&mut module, message),
            WastDirective::AssertMalformedCustom { .. }
            | WastDirective::AssertInvalidCustom { .. } => {
                Step::skip("custom-section assertions are not supported")
            }
            WastDirective::Register { name, module, .. } => {
                if let Some(why) = self.has_backend() {
                    return Step::skip(&why);
                }
                Step::from(self.register(name, module.map(|m| m.name().to_string())))
            }
            WastDirective::Invoke(call) => {
                if let Some(why) = self.has_backend() {
                    return Step::skip(&why);
                }
                Step::from(self.invoke(&call).map(|_| ()).map_err(|e| e.to_string()))
            }
            WastDirective::AssertReturn { exec, results, .. } => {
                if let Some(why) = self.has_backend() {
                    return Step::skip(&why);
                }
                Step::from(
                    self.execute(exec)
                        .map_err(|e| format!("expected results, got {e}"))
                        .and_then(|vals| check_results(&results, &vals)),
                )
            }
            WastDirective::AssertTrap { exec, message, .. } => {
                if let Some(why) = self.has_backend() {
                    return Step::skip(&why);
                }
                Step::from(self.assert_trap(exec, message))
            }
            WastDirective::AssertExhaustion { call, message, .. } => {
                if let Some(why) = self.has_backend() {
                    return Step::skip(&why);
                }
                Step::from(match self.invoke(&call) {
                    Err(ExecError::Trap {
                        exhausted: true, ..
                    }) => Ok(()),
                    Err(ExecError::Trap { message: m, .. }) if message_matches(message, &m) => {
                        Ok(())
                    }
                    Err(e) => Err(format!("expected exhaustion \"{message}\", got {e}")),
                    Ok(v) => Err(format!(
                        "expected exhaustion \"{message}\", returned {} values",
                        v.len()
                    )),
                })
            }
            WastDirective::AssertUnlinkable {
                mut module,
                message,
                ..
            } => {
                if let Some(why) = self.has_backend() {
                    return Step::skip(&why);
                }
                Step::from(self.assert_unlinkable(&mut module, message))
            }
            WastDirective::AssertException { .. } => {
                Step::skip("exception handling is not supported")
            }
            WastDirective::AssertSuspension { .. } => {
                Step::skip("stack switching is not supported")
            }
            WastDirective::Thread(_) | WastDirective::Wait { .. } => {
                Step::skip("threads are not supported")
            }
        }
    }

    /// Encodes, decodes and validates; the instance is created when the engine exists.
    fn module(&mut self, m: &mut QuoteWat<'_>, name: Option<String>) -> Result<(), String> {
        let bytes = encode(m).map_err(|e| format!("cannot encode module text: {e}"))?;
        check_module(&bytes, &self.features)
            .map_err(|r| format!("module rejected: {}", r.display()))?;
        if self.backend.is_err() {
            // Stage 1: decoding and validating is all we can check.
            return Ok(());
        }
        self.current = None;
        let id = self
            .backend()?
            .instantiate(&bytes)
            .map_err(|e| format!("cannot instantiate: {e}"))?;
        self.current = Some(id);
        if let Some(n) = name {
            self.named.insert(n, id);
        }
        Ok(())
    }

    fn define(&mut self, m: &mut QuoteWat<'_>, name: Option<String>) -> Result<(), String> {
        let bytes = encode(m).map_err(|e| format!("cannot encode module text: {e}"))?;
        check_module(&bytes, &self.features)
            .map_err(|r| format!("module rejected: {}", r.display()))?;
        if let Some(n) = name {
            self.definitions.insert(n, bytes.clone());
        }
        self.last_definition = Some(bytes);
        Ok(())
    }

    fn instance(&mut self, instance: Option<String>, module: Option<String>) -> Result<(), String> {
        let bytes = match &module {
            Some(n) => self.definitions.get(n).cloned(),
            None => self.last_definition.clone(),
        }
        .ok_or_else(|| format!("no module definition {module:?}"))?;
        let id = self
            .backend()?
            .instantiate(&bytes)
            .map_err(|e| format!("cannot instantiate: {e}"))?;
        self.current = Some(id);
        if let Some(n) = instance {
            self.named.insert(n, id);
        }
        Ok(())
    }

    fn assert_malformed(&mut self, m: &mut QuoteWat<'_>, expected: &str) -> Step {
        let is_binary = is_binary(m);
        let bytes = match encode(m) {
            // The text (or quoted binary) is malformed already: what the script wants.
            Err(_) => return Step::pass(),
            Ok(b) => b,
        };
        match wvm_binary::decode(&bytes, &self.features) {
            Err(e) => Step {
                outcome: Outcome::Passed,
                message: is_binary.then(|| {
                    (
                        message_matches(expected, &e.message),
                        format!("expected \"{expected}\", decoder said \"{e}\""),
                    )
                }),
            },
            Ok(module) => {
                let extra = match wvm_validate::validate(&module, &self.features) {
                    Ok(()) => "it decodes and validates".to_string(),
                    Err(e) => format!("it decodes (validation then says \"{e}\")"),
                };
                let origin = if is_binary {
                    "binary"
                } else {
                    "text accepted by the wast crate"
                };
                Step::fail(format!(
                    "expected malformed \"{expected}\" ({origin}), but {extra}"
                ))
            }
        }
    }

    fn assert_invalid(&mut self, m: &mut QuoteWat<'_>, expected: &str) -> Step {
        let bytes = match encode(m) {
            Ok(b) => b,
            Err(e) => {
                return Step::fail(format!(
                    "expected invalid \"{expected}\", but the module text does not encode: {e}"
                ))
            }
        };
        match check_module(&bytes, &self.features) {
            Ok(()) => Step::fail(format!(
                "expected invalid \"{expected}\", but the module validates"
            )),
            Err(
                Rejection::Decode { message, display } | Rejection::Validate { message, display },
            ) => Step {
                outcome: Outcome::Passed,
                message: Some((
                    message_matches(expected, &message),
                    format!("expected \"{expected}\", wvm said \"{display}\""),
                )),
            },
            Err(Rejection::Text(t)) => Step::fail(t),
        }
    }

    fn assert_unlinkable(&mut self, m: &mut Wat<'_>, expected: &str) -> Result<(), String> {
        let bytes = encode_wat(m).map_err(|e| format!("cannot encode module text: {e}"))?;
        check_module(&bytes, &self.features)
            .map_err(|r| format!("module rejected: {}", r.display()))?;
        match self.backend()?.instantiate(&bytes) {
            Ok(_) => Err(format!(
                "expected unlinkable \"{expected}\", but it instantiated"
            )),
            Err(ExecError::Link(_)) => Ok(()),
            Err(ExecError::Other(m)) if message_matches(expected, &m) => Ok(()),
            Err(e) => Err(format!("expected unlinkable \"{expected}\", got {e}")),
        }
    }

    fn assert_trap(&mut self, exec: WastExecute<'_>, expected: &str) -> Result<(), String> {
        match self.execute(exec) {
            Ok(v) => Err(format!(
                "expected trap \"{expected}\", but it returned [{}]",
                v.iter()
                    .map(|v| v.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            Err(ExecError::Trap { message, .. }) if message_matches(expected, &message) => Ok(()),
            Err(e) => Err(format!("expected trap \"{expected}\", got {e}")),
        }
    }

    fn instance_of(&self, module: Option<&str>) -> Result<InstanceId, ExecError> {
        match module {
            Some(n) => self
                .named
                .get(n)
                .copied()
                .ok_or_else(|| ExecError::Other(format!("no module named ${n}"))),
            None => self
                .current
                .ok_or_else(|| ExecError::Other("no current module instance".into())),
        }
    }

    fn invoke(&mut self, call: &WastInvoke<'_>) -> Result<Vec<Value>, ExecError> {
        let inst = self.instance_of(call.module.as_ref().map(|m| m.name()))?;
        let args = call
            .args
            .iter()
            .map(arg_value)
            .collect::<Result<Vec<_>, _>>()
            .map_err(ExecError::Other)?;
        self.backend()
            .map_err(ExecError::Other)?
            .invoke(inst, call.name, &args)
    }

    fn execute(&mut self, exec: WastExecute<'_>) -> Result<Vec<Value>, ExecError> {
        match exec {
            WastExecute::Invoke(call) => self.invoke(&call),
            WastExecute::Get { module, global, .. } => {
                let inst = self.instance_of(module.as_ref().map(|m| m.name()))?;
                self.backend()
                    .map_err(ExecError::Other)?
                    .get_global(inst, global)
                    .map(|v| vec![v])
            }
            WastExecute::Wat(mut wat) => {
                let bytes = encode_wat(&mut wat).map_err(ExecError::Compile)?;
                check_module(&bytes, &self.features)
                    .map_err(|r| ExecError::Compile(r.display().to_string()))?;
                self.backend()
                    .map_err(ExecError::Other)?
                    .instantiate(&bytes)
                    .map(|_| Vec::new())
            }
        }
    }

    fn register(&mut self, name: &str, module: Option<String>) -> Result<(), String> {
        let inst = self
            .instance_of(module.as_deref())
            .map_err(|e| e.to_string())?;
        self.backend()?
            .register(name, inst)
            .map_err(|e| e.to_string())
    }
}

/// Whether the module is given as bytes (`(module binary ...)`), so its rejection comes
/// from wvm's decoder rather than the text parser.
fn is_binary(m: &QuoteWat<'_>) -> bool {
    matches!(
        m,
        QuoteWat::Wat(Wat::Module(wast::core::Module {
            kind: wast::core::ModuleKind::Binary(_),
            ..
        }))
    )
}
