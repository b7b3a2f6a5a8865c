// pressure-mask-card 0.1.0: built from frontend/ by "npm run build"; do not edit.
var U=globalThis,I=U.ShadowRoot&&(U.ShadyCSS===void 0||U.ShadyCSS.nativeShadow)&&"adoptedStyleSheets"in Document.prototype&&"replace"in CSSStyleSheet.prototype,F=Symbol(),de=new WeakMap,M=class{constructor(e,t,s){if(this._$cssResult$=!0,s!==F)throw Error("CSSResult is not constructable. Use `unsafeCSS` or `css` instead.");this.cssText=e,this.t=t}get styleSheet(){let e=this.o,t=this.t;if(I&&e===void 0){let s=t!==void 0&&t.length===1;s&&(e=de.get(t)),e===void 0&&((this.o=e=new CSSStyleSheet).replaceSync(this.cssText),s&&de.set(t,e))}return e}toString(){return this.cssText}},le=n=>new M(typeof n=="string"?n:n+"",void 0,F),q=(n,...e)=>{let t=n.length===1?n[0]:e.reduce((s,a,i)=>s+(r=>{if(r._$cssResult$===!0)return r.cssText;if(typeof r=="number")return r;throw Error("Value passed to 'css' function must be a 'css' function result: "+r+". Use 'unsafeCSS' to pass non-literal values, but take care to ensure page security.")})(a)+n[i+1],n[0]);return new M(t,n,F)},ce=(n,e)=>{if(I)n.adoptedStyleSheets=e.map(t=>t instanceof CSSStyleSheet?t:t.styleSheet);else for(let t of e){let s=document.createElement("style"),a=U.litNonce;a!==void 0&&s.setAttribute("nonce",a),s.textContent=t.cssText,n.appendChild(s)}},B=I?n=>n:n=>n instanceof CSSStyleSheet?(e=>{let t="";for(let s of e.cssRules)t+=s.cssText;return le(t)})(n):n;var{is:Qe,defineProperty:Ye,getOwnPropertyDescriptor:Je,getOwnPropertyNames:Xe,getOwnPropertySymbols:et,getPrototypeOf:tt}=Object,V=globalThis,ue=V.trustedTypes,st=ue?ue.emptyScript:"",at=V.reactiveElementPolyfillSupport,C=(n,e)=>n,Z={toAttribute(n,e){switch(e){case Boolean:n=n?st:null;break;case Object:case Array:n=n==null?n:JSON.stringify(n)}return n},fromAttribute(n,e){let t=n;switch(e){case Boolean:t=n!==null;break;case Number:t=n===null?null:Number(n);break;case Object:case Array:try{t=JSON.parse(n)}catch{t=null}}return t}},me=(n,e)=>!Qe(n,e),pe={attribute:!0,type:String,converter:Z,reflect:!1,useDefault:!1,hasChanged:me};Symbol.metadata??=Symbol("metadata"),V.litPropertyMetadata??=new WeakMap;var _=class extends HTMLElement{static addInitializer(e){this._$Ei(),(this.l??=[]).push(e)}static get observedAttributes(){return this.finalize(),this._$Eh&&[...this._$Eh.keys()]}static createProperty(e,t=pe){if(t.state&&(t.attribute=!1),this._$Ei(),this.prototype.hasOwnProperty(e)&&((t=Object.create(t)).wrapped=!0),this.elementProperties.set(e,t),!t.noAccessor){let s=Symbol(),a=this.getPropertyDescriptor(e,s,t);a!==void 0&&Ye(this.prototype,e,a)}}static getPropertyDescriptor(e,t,s){let{get:a,set:i}=Je(this.prototype,e)??{get(){return this[t]},set(r){this[t]=r}};return{get:a,set(r){let c=a?.call(this);i?.call(this,r),this.requestUpdate(e,c,s)},configurable:!0,enumerable:!0}}static getPropertyOptions(e){return this.elementProperties.get(e)??pe}static _$Ei(){if(this.hasOwnProperty(C("elementProperties")))return;let e=tt(this);e.finalize(),e.l!==void 0&&(this.l=[...e.l]),this.elementProperties=new Map(e.elementProperties)}static finalize(){if(this.hasOwnProperty(C("finalized")))return;if(this.finalized=!0,this._$Ei(),this.hasOwnProperty(C("properties"))){let t=this.properties,s=[...Xe(t),...et(t)];for(let a of s)this.createProperty(a,t[a])}let e=this[Symbol.metadata];if(e!==null){let t=litPropertyMetadata.get(e);if(t!==void 0)for(let[s,a]of t)this.elementProperties.set(s,a)}this._$Eh=new Map;for(let[t,s]of this.elementProperties){let a=this._$Eu(t,s);a!==void 0&&this._$Eh.set(a,t)}this.elementStyles=this.finalizeStyles(this.styles)}static finalizeStyles(e){let t=[];if(Array.isArray(e)){let s=new Set(e.flat(1/0).reverse());for(let a of s)t.unshift(B(a))}else e!==void 0&&t.push(B(e));return t}static _$Eu(e,t){let s=t.attribute;return s===!1?void 0:typeof s=="string"?s:typeof e=="string"?e.toLowerCase():void 0}constructor(){super(),this._$Ep=void 0,this.isUpdatePending=!1,this.hasUpdated=!1,this._$Em=null,this._$Ev()}_$Ev(){this._$ES=new Promise(e=>this.enableUpdating=e),this._$AL=new Map,this._$E_(),this.requestUpdate(),this.constructor.l?.forEach(e=>e(this))}addController(e){(this._$EO??=new Set).add(e),this.renderRoot!==void 0&&this.isConnected&&e.hostConnected?.()}removeController(e){this._$EO?.delete(e)}_$E_(){let e=new Map,t=this.constructor.elementProperties;for(let s of t.keys())this.hasOwnProperty(s)&&(e.set(s,this[s]),delete this[s]);e.size>0&&(this._$Ep=e)}createRenderRoot(){let e=this.shadowRoot??this.attachShadow(this.constructor.shadowRootOptions);return ce(e,this.constructor.elementStyles),e}connectedCallback(){this.renderRoot??=this.createRenderRoot(),this.enableUpdating(!0),this._$EO?.forEach(e=>e.hostConnected?.())}enableUpdating(e){}disconnectedCallback(){this._$EO?.forEach(e=>e.hostDisconnected?.())}attributeChangedCallback(e,t,s){this._$AK(e,s)}_$ET(e,t){let s=this.constructor.elementProperties.get(e),a=this.constructor._$Eu(e,s);if(a!==void 0&&s.reflect===!0){let i=(s.converter?.toAttribute!==void 0?s.converter:Z).toAttribute(t,s.type);this._$Em=e,i==null?this.removeAttribute(a):this.setAttribute(a,i),this._$Em=null}}_$AK(e,t){let s=this.constructor,a=s._$Eh.get(e);if(a!==void 0&&this._$Em!==a){let i=s.getPropertyOptions(a),r=typeof i.converter=="function"?{fromAttribute:i.converter}:i.converter?.fromAttribute!==void 0?i.converter:Z;this._$Em=a;let c=r.fromAttribute(t,i.type);this[a]=c??this._$Ej?.get(a)??c,this._$Em=null}}requestUpdate(e,t,s,a=!1,i){if(e!==void 0){let r=this.constructor;if(a===!1&&(i=this[e]),s??=r.getPropertyOptions(e),!((s.hasChanged??me)(i,t)||s.useDefault&&s.reflect&&i===this._$Ej?.get(e)&&!this.hasAttribute(r._$Eu(e,s))))return;this.C(e,t,s)}this.isUpdatePending===!1&&(this._$ES=this._$EP())}C(e,t,{useDefault:s,reflect:a,wrapped:i},r){s&&!(this._$Ej??=new Map).has(e)&&(this._$Ej.set(e,r??t??this[e]),i!==!0||r!==void 0)||(this._$AL.has(e)||(this.hasUpdated||s||(t=void 0),this._$AL.set(e,t)),a===!0&&this._$Em!==e&&(this._$Eq??=new Set).add(e))}async _$EP(){this.isUpdatePending=!0;try{await this._$ES}catch(t){Promise.reject(t)}let e=this.scheduleUpdate();return e!=null&&await e,!this.isUpdatePending}scheduleUpdate(){return this.performUpdate()}performUpdate(){if(!this.isUpdatePending)return;if(!this.hasUpdated){if(this.renderRoot??=this.createRenderRoot(),this._$Ep){for(let[a,i]of this._$Ep)this[a]=i;this._$Ep=void 0}let s=this.constructor.elementProperties;if(s.size>0)for(let[a,i]of s){let{wrapped:r}=i,c=this[a];r!==!0||this._$AL.has(a)||c===void 0||this.C(a,void 0,i,c)}}let e=!1,t=this._$AL;try{e=this.shouldUpdate(t),e?(this.willUpdate(t),this._$EO?.forEach(s=>s.hostUpdate?.()),this.update(t)):this._$EM()}catch(s){throw e=!1,this._$EM(),s}e&&this._$AE(t)}willUpdate(e){}_$AE(e){this._$EO?.forEach(t=>t.hostUpdated?.()),this.hasUpdated||(this.hasUpdated=!0,this.firstUpdated(e)),this.updated(e)}_$EM(){this._$AL=new Map,this.isUpdatePending=!1}get updateComplete(){return this.getUpdateComplete()}getUpdateComplete(){return this._$ES}shouldUpdate(e){return!0}update(e){this._$Eq&&=this._$Eq.forEach(t=>this._$ET(t,this[t])),this._$EM()}updated(e){}firstUpdated(e){}};_.elementStyles=[],_.shadowRootOptions={mode:"open"},_[C("elementProperties")]=new Map,_[C("finalized")]=new Map,at?.({ReactiveElement:_}),(V.reactiveElementVersions??=[]).push("2.1.2");var te=globalThis,he=n=>n,K=te.trustedTypes,ge=K?K.createPolicy("lit-html",{createHTML:n=>n}):void 0,ve="$lit$",k=`lit$${Math.random().toFixed(9).slice(2)}$`,ze="?"+k,nt=`<${ze}>`,$=document,H=()=>$.createComment(""),L=n=>n===null||typeof n!="object"&&typeof n!="function",se=Array.isArray,it=n=>se(n)||typeof n?.[Symbol.iterator]=="function",W=`[ 	
\f\r]`,T=/<(?:(!--|\/[^a-zA-Z])|(\/?[a-zA-Z][^>\s]*)|(\/?$))/g,fe=/-->/g,_e=/>/g,z=RegExp(`>|${W}(?:([^\\s"'>=/]+)(${W}*=${W}*(?:[^ 	
\f\r"'\`<>=]|("|')|))|$)`,"g"),be=/'/g,ye=/"/g,we=/^(?:script|style|textarea|title)$/i,ae=n=>(e,...t)=>({_$litType$:n,strings:e,values:t}),m=ae(1),b=ae(2),wt=ae(3),S=Symbol.for("lit-noChange"),d=Symbol.for("lit-nothing"),ke=new WeakMap,w=$.createTreeWalker($,129);function $e(n,e){if(!se(n)||!n.hasOwnProperty("raw"))throw Error("invalid template strings array");return ge!==void 0?ge.createHTML(e):e}var rt=(n,e)=>{let t=n.length-1,s=[],a,i=e===2?"<svg>":e===3?"<math>":"",r=T;for(let c=0;c<t;c++){let o=n[c],l,p,u=-1,f=0;for(;f<o.length&&(r.lastIndex=f,p=r.exec(o),p!==null);)f=r.lastIndex,r===T?p[1]==="!--"?r=fe:p[1]!==void 0?r=_e:p[2]!==void 0?(we.test(p[2])&&(a=RegExp("</"+p[2],"g")),r=z):p[3]!==void 0&&(r=z):r===z?p[0]===">"?(r=a??T,u=-1):p[1]===void 0?u=-2:(u=r.lastIndex-p[2].length,l=p[1],r=p[3]===void 0?z:p[3]==='"'?ye:be):r===ye||r===be?r=z:r===fe||r===_e?r=T:(r=z,a=void 0);let g=r===z&&n[c+1].startsWith("/>")?" ":"";i+=r===T?o+nt:u>=0?(s.push(l),o.slice(0,u)+ve+o.slice(u)+k+g):o+k+(u===-2?c:g)}return[$e(n,i+(n[t]||"<?>")+(e===2?"</svg>":e===3?"</math>":"")),s]},N=class n{constructor({strings:e,_$litType$:t},s){let a;this.parts=[];let i=0,r=0,c=e.length-1,o=this.parts,[l,p]=rt(e,t);if(this.el=n.createElement(l,s),w.currentNode=this.el.content,t===2||t===3){let u=this.el.content.firstChild;u.replaceWith(...u.childNodes)}for(;(a=w.nextNode())!==null&&o.length<c;){if(a.nodeType===1){if(a.hasAttributes())for(let u of a.getAttributeNames())if(u.endsWith(ve)){let f=p[r++],g=a.getAttribute(u).split(k),P=/([.?@])?(.*)/.exec(f);o.push({type:1,index:i,name:P[2],strings:g,ctor:P[1]==="."?Y:P[1]==="?"?J:P[1]==="@"?X:A}),a.removeAttribute(u)}else u.startsWith(k)&&(o.push({type:6,index:i}),a.removeAttribute(u));if(we.test(a.tagName)){let u=a.textContent.split(k),f=u.length-1;if(f>0){a.textContent=K?K.emptyScript:"";for(let g=0;g<f;g++)a.append(u[g],H()),w.nextNode(),o.push({type:2,index:++i});a.append(u[f],H())}}}else if(a.nodeType===8)if(a.data===ze)o.push({type:2,index:i});else{let u=-1;for(;(u=a.data.indexOf(k,u+1))!==-1;)o.push({type:7,index:i}),u+=k.length-1}i++}}static createElement(e,t){let s=$.createElement("template");return s.innerHTML=e,s}};function x(n,e,t=n,s){if(e===S)return e;let a=s!==void 0?t._$Co?.[s]:t._$Cl,i=L(e)?void 0:e._$litDirective$;return a?.constructor!==i&&(a?._$AO?.(!1),i===void 0?a=void 0:(a=new i(n),a._$AT(n,t,s)),s!==void 0?(t._$Co??=[])[s]=a:t._$Cl=a),a!==void 0&&(e=x(n,a._$AS(n,e.values),a,s)),e}var Q=class{constructor(e,t){this._$AV=[],this._$AN=void 0,this._$AD=e,this._$AM=t}get parentNode(){return this._$AM.parentNode}get _$AU(){return this._$AM._$AU}u(e){let{el:{content:t},parts:s}=this._$AD,a=(e?.creationScope??$).importNode(t,!0);w.currentNode=a;let i=w.nextNode(),r=0,c=0,o=s[0];for(;o!==void 0;){if(r===o.index){let l;o.type===2?l=new j(i,i.nextSibling,this,e):o.type===1?l=new o.ctor(i,o.name,o.strings,this,e):o.type===6&&(l=new ee(i,this,e)),this._$AV.push(l),o=s[++c]}r!==o?.index&&(i=w.nextNode(),r++)}return w.currentNode=$,a}p(e){let t=0;for(let s of this._$AV)s!==void 0&&(s.strings!==void 0?(s._$AI(e,s,t),t+=s.strings.length-2):s._$AI(e[t])),t++}},j=class n{get _$AU(){return this._$AM?._$AU??this._$Cv}constructor(e,t,s,a){this.type=2,this._$AH=d,this._$AN=void 0,this._$AA=e,this._$AB=t,this._$AM=s,this.options=a,this._$Cv=a?.isConnected??!0}get parentNode(){let e=this._$AA.parentNode,t=this._$AM;return t!==void 0&&e?.nodeType===11&&(e=t.parentNode),e}get startNode(){return this._$AA}get endNode(){return this._$AB}_$AI(e,t=this){e=x(this,e,t),L(e)?e===d||e==null||e===""?(this._$AH!==d&&this._$AR(),this._$AH=d):e!==this._$AH&&e!==S&&this._(e):e._$litType$!==void 0?this.$(e):e.nodeType!==void 0?this.T(e):it(e)?this.k(e):this._(e)}O(e){return this._$AA.parentNode.insertBefore(e,this._$AB)}T(e){this._$AH!==e&&(this._$AR(),this._$AH=this.O(e))}_(e){this._$AH!==d&&L(this._$AH)?this._$AA.nextSibling.data=e:this.T($.createTextNode(e)),this._$AH=e}$(e){let{values:t,_$litType$:s}=e,a=typeof s=="number"?this._$AC(e):(s.el===void 0&&(s.el=N.createElement($e(s.h,s.h[0]),this.options)),s);if(this._$AH?._$AD===a)this._$AH.p(t);else{let i=new Q(a,this),r=i.u(this.options);i.p(t),this.T(r),this._$AH=i}}_$AC(e){let t=ke.get(e.strings);return t===void 0&&ke.set(e.strings,t=new N(e)),t}k(e){se(this._$AH)||(this._$AH=[],this._$AR());let t=this._$AH,s,a=0;for(let i of e)a===t.length?t.push(s=new n(this.O(H()),this.O(H()),this,this.options)):s=t[a],s._$AI(i),a++;a<t.length&&(this._$AR(s&&s._$AB.nextSibling,a),t.length=a)}_$AR(e=this._$AA.nextSibling,t){for(this._$AP?.(!1,!0,t);e!==this._$AB;){let s=he(e).nextSibling;he(e).remove(),e=s}}setConnected(e){this._$AM===void 0&&(this._$Cv=e,this._$AP?.(e))}},A=class{get tagName(){return this.element.tagName}get _$AU(){return this._$AM._$AU}constructor(e,t,s,a,i){this.type=1,this._$AH=d,this._$AN=void 0,this.element=e,this.name=t,this._$AM=a,this.options=i,s.length>2||s[0]!==""||s[1]!==""?(this._$AH=Array(s.length-1).fill(new String),this.strings=s):this._$AH=d}_$AI(e,t=this,s,a){let i=this.strings,r=!1;if(i===void 0)e=x(this,e,t,0),r=!L(e)||e!==this._$AH&&e!==S,r&&(this._$AH=e);else{let c=e,o,l;for(e=i[0],o=0;o<i.length-1;o++)l=x(this,c[s+o],t,o),l===S&&(l=this._$AH[o]),r||=!L(l)||l!==this._$AH[o],l===d?e=d:e!==d&&(e+=(l??"")+i[o+1]),this._$AH[o]=l}r&&!a&&this.j(e)}j(e){e===d?this.element.removeAttribute(this.name):this.element.setAttribute(this.name,e??"")}},Y=class extends A{constructor(){super(...arguments),this.type=3}j(e){this.element[this.name]=e===d?void 0:e}},J=class extends A{constructor(){super(...arguments),this.type=4}j(e){this.element.toggleAttribute(this.name,!!e&&e!==d)}},X=class extends A{constructor(e,t,s,a,i){super(e,t,s,a,i),this.type=5}_$AI(e,t=this){if((e=x(this,e,t,0)??d)===S)return;let s=this._$AH,a=e===d&&s!==d||e.capture!==s.capture||e.once!==s.once||e.passive!==s.passive,i=e!==d&&(s===d||a);a&&this.element.removeEventListener(this.name,this,s),i&&this.element.addEventListener(this.name,this,e),this._$AH=e}handleEvent(e){typeof this._$AH=="function"?this._$AH.call(this.options?.host??this.element,e):this._$AH.handleEvent(e)}},ee=class{constructor(e,t,s){this.element=e,this.type=6,this._$AN=void 0,this._$AM=t,this.options=s}get _$AU(){return this._$AM._$AU}_$AI(e){x(this,e)}};var ot=te.litHtmlPolyfillSupport;ot?.(N,j),(te.litHtmlVersions??=[]).push("3.3.3");var Se=(n,e,t)=>{let s=t?.renderBefore??e,a=s._$litPart$;if(a===void 0){let i=t?.renderBefore??null;s._$litPart$=a=new j(e.insertBefore(H(),i),i,void 0,t??{})}return a._$AI(n),a};var ne=globalThis,v=class extends _{constructor(){super(...arguments),this.renderOptions={host:this},this._$Do=void 0}createRenderRoot(){let e=super.createRenderRoot();return this.renderOptions.renderBefore??=e.firstChild,e}update(e){let t=this.render();this.hasUpdated||(this.renderOptions.isConnected=this.isConnected),super.update(e),this._$Do=Se(t,this.renderRoot,this.renderOptions)}connectedCallback(){super.connectedCallback(),this._$Do?.setConnected(!0)}disconnectedCallback(){super.disconnectedCallback(),this._$Do?.setConnected(!1)}render(){return S}};v._$litElement$=!0,v.finalized=!0,ne.litElementHydrateSupport?.({LitElement:v});var dt=ne.litElementPolyfillSupport;dt?.({LitElement:v});(ne.litElementVersions??=[]).push("4.2.2");var ie="pressure_mask",lt=["status","start_readiness","zone_limit","session_peak_pressure","sessions_today","sessions_total","therapy_time_total","pressure","phase","zone","session_elapsed","session_remaining","cooldown_ends","fault","connected","start_session","stop_session","vent","routine","target_pressure","session_duration","safety_acknowledgement"],ct=new Set(lt);function re(n){let e=new Map;for(let s of Object.values(n.entities)){if(s?.platform!==ie||!s.device_id||!s.translation_key||!ct.has(s.translation_key))continue;let a=e.get(s.device_id)??{};a[s.translation_key]=s.entity_id,e.set(s.device_id,a)}return[...e].map(([s,a])=>{let i=n.devices[s];return{deviceId:s,name:i?.name_by_user||i?.name||s,entities:a}}).sort((s,a)=>s.name.localeCompare(a.name)||s.deviceId.localeCompare(a.deviceId))}function xe(n,e){let t=re(n);return t.find(s=>s.deviceId===e)??(e?void 0:t[0])}var Ae={forehead:b`<path d="M62 62 Q100 30 138 62 L134 82 Q100 70 66 82 Z" />`,temples:b`<ellipse cx="50" cy="98" rx="9" ry="15" /><ellipse cx="150" cy="98" rx="9" ry="15" />`,under_eye:b`<path d="M66 112 Q80 122 94 112 L94 118 Q80 128 66 118 Z" /><path d="M106 112 Q120 122 134 112 L134 118 Q120 128 106 118 Z" />`,cheeks:b`<ellipse cx="70" cy="142" rx="15" ry="14" /><ellipse cx="130" cy="142" rx="15" ry="14" />`,jaw:b`<path d="M58 170 Q100 214 142 170 L146 180 Q100 226 54 180 Z" />`,neck:b`<path d="M76 214 L124 214 L128 252 L72 252 Z" />`};function Ee(n,e,t){let s=Object.keys(Ae).map(a=>b`<g class="zone ${a===n?`active ${e??""}`:""}" data-zone=${a}>${Ae[a]}</g>`);return b`<svg class="face ${t?`breathing-${t}`:""}" viewBox="0 0 200 260"
      aria-hidden="true" focusable="false">
    <path class="outline" d="M100 22 C48 22 38 70 40 110 C42 160 62 204 100 212 C138 204 158 160 160 110 C162 70 152 22 100 22 Z" />
    <path class="outline" d="M76 212 L72 254 M124 212 L128 254" />
    <ellipse class="feature" cx="80" cy="104" rx="10" ry="5" />
    <ellipse class="feature" cx="120" cy="104" rx="10" ry="5" />
    <path class="feature" d="M100 112 L95 140 L104 141" />
    <path class="feature" d="M86 166 Q100 174 114 166" />
    ${s}
  </svg>`}var Pe=["forehead","temples","under_eye","cheeks","jaw","neck"];function Me(n){return n==="under_eye"?"under_eye_limit":n==="neck"?"neck_limit":"face_limit"}function G(n){return Pe.includes(n??"")?n:void 0}function E(n){let e=Math.max(0,Math.round(n)),t=Math.floor(e/3600),s=Math.floor(e%3600/60),a=String(e%60).padStart(2,"0");return t>0?`${t}:${String(s).padStart(2,"0")}:${a}`:`${s}:${a}`}function ut(n,e,t){return new Intl.DateTimeFormat(e,{hour:"numeric",minute:"2-digit",timeZone:t}).format(new Date(n))}function h(n){if(n==null||n==="")return;let e=Number(n);return Number.isFinite(e)?e:void 0}var pt=new Set(["unknown","unavailable"]);function y(n){return n&&!pt.has(n.state)?n.state:void 0}function Ce(n,e){let t=l=>{let p=e.entities[l];return p?n.states[p]:void 0},s=l=>h(y(t(l))),a=t("zone_limit")?.attributes??{},i=t("sessions_today"),r=t("therapy_time_total"),c=y(t("safety_acknowledgement")),o=y(t("fault"));return{status:y(t("status")),statusAttributes:t("status")?.attributes??{},readiness:y(t("start_readiness")),readinessAttributes:t("start_readiness")?.attributes??{},zone:y(t("zone")),phase:y(t("phase")),fault:o==="none"?void 0:o,faultName:o&&o!=="none"&&n.formatEntityState?n.formatEntityState(t("fault")):void 0,connected:y(t("connected"))==="on",pressure:s("pressure"),peak:s("session_peak_pressure"),target:s("target_pressure"),zoneLimit:s("zone_limit"),limits:{face:h(a.face_limit),under_eye:h(a.under_eye_limit),neck:h(a.neck_limit)},elapsedS:s("session_elapsed"),remainingS:s("session_remaining"),remainingAttributes:t("session_remaining")?.attributes??{},durationMin:s("session_duration"),sessionsToday:s("sessions_today"),dailyCap:h(i?.attributes.daily_cap),sessionsTotal:s("sessions_total"),therapyTimeTotal:s("therapy_time_total"),therapyTimeUnit:r?.attributes.unit_of_measurement,cooldownEnds:y(t("cooldown_ends")),acknowledged:c===void 0?void 0:c==="on"}}function mt(n,e){return typeof e=="string"&&!Number.isNaN(Date.parse(e))?ut(e,n.language,n.timeZone):void 0}function Te(n,e){let t=`zone.${String(e)}`;return Pe.includes(String(e))?n.t(t):String(e)}function ht(n,e){let t=n.statusAttributes,s=n.faultName??n.fault??e.t("phase.fault"),a=e.t("status.fault_next_step"),i=G(t.fault_zone),r=h(t.fault_pressure_mmhg);return i&&r!==void 0?e.t("status.fault_zone",{fault:s,zone:Te(e,i),pressure:Math.round(r),next_step:a}):e.t("status.fault",{fault:s,next_step:a})}function He(n,e,t,s){if(n==="daily_limit_reached")return s.t(`${e}.daily_limit_reached`,{sessions:t.sessionsToday??"?",cap:t.dailyCap??"?"});let a=mt(s,t.readinessAttributes.until??t.cooldownEnds);return a?s.t(`${e}.cooling_down`,{time:a}):s.t(`${e}.cooling_down_no_time`)}function Le(n,e){let{t}=e,s=n.statusAttributes;switch(n.status){case void 0:return{text:t("status.unavailable"),tone:"warning"};case"ready":return{text:n.connected?t("status.ready"):`${t("status.ready")} (${t("status.idle")})`,tone:"normal"};case"armed":{let a=typeof s.armed_until=="string"?Date.parse(s.armed_until):NaN;return{text:Number.isNaN(a)?t("status.armed_no_time"):t("status.armed",{left:E(Math.floor((a-e.now.getTime())/1e3))}),tone:"active"}}case"breathing":return{text:t(s.breathing_phase==="out"?"status.breathing_out":"status.breathing_in",{breath:String(s.breath??"?"),breaths:String(s.breaths??"?")}),tone:"active"};case"running":{let a=Te(e,n.zone);return s.step===void 0||s.steps===void 0?{text:t("status.running_zone",{zone:a}),tone:"active"}:{text:t("status.running",{zone:a,step:String(s.step),steps:String(s.steps),repetition:String(s.repetition??"?"),repetitions:String(s.repetitions??"?")}),tone:"active"}}case"paused":return{text:t("status.paused"),tone:"warning"};case"venting":return{text:t("status.venting"),tone:"warning"};case"cooling_down":case"daily_limit_reached":return{text:He(n.status,"status",n,e),tone:"normal"};case"needs_acknowledgement":return{text:t("status.needs_acknowledgement"),tone:"warning"};case"fault":return{text:ht(n,e),tone:"error"};case"out_of_range":return{text:t("status.out_of_range"),tone:"warning"};default:return{text:n.status,tone:"normal"}}}function Ne(n,e){let{t}=e;switch(n.readiness){case void 0:case"ready":return;case"session_active":return{text:t("readiness.session_active"),tone:"normal"};case"cooling_down":case"daily_limit_reached":return{text:He(n.readiness,"readiness",n,e),tone:"warning"};case"needs_acknowledgement":case"fault":case"low_battery":case"out_of_range":return{text:t(`readiness.${n.readiness}`),tone:n.readiness==="fault"?"error":"warning"};default:return{text:n.readiness,tone:"warning"}}}function je(n){let e=n.zoneLimit;if(e===void 0||e<=0)return;let t=n.pressure??0,s=t>=e?"at_limit":n.target!==void 0&&t>n.target?"above_target":"normal";return{limit:e,fraction:Math.min(1,Math.max(0,t/e)),band:s}}function gt(n){let e=n.remainingAttributes,t=h(e.planned_duration_s),s=h(e.chosen_duration_s);if(!(t===void 0||s===void 0)&&!(e.ends_with!=="routine"&&e.ends_with!=="session_duration"))return{endsWith:e.ends_with,plannedS:t,chosenS:s}}function De(n){if(n.elapsedS===void 0||n.remainingS===void 0)return;let e=n.elapsedS+n.remainingS;if(!(e<=0))return{elapsedS:n.elapsedS,remainingS:n.remainingS,fraction:Math.min(1,n.elapsedS/e),planned:gt(n)}}function Re(n,e){let t=E(n.chosenS);return n.endsWith==="session_duration"?e("progress.deadline",{chosen:t}):e("progress.planned",{planned:E(n.plannedS),chosen:t})}function Oe(n){return n&&typeof n=="object"&&"message"in n&&typeof n.message=="string"?n.message:String(n)}var Ue={"card.name":"Druckmaske","card.description":"Die Druckmaske: Gesichtszonen, Druck im Vergleich zur Grenze, Sitzungssteuerung.","card.no_mask":"Keine Druckmaske gefunden. Füge eine unter Einstellungen > Geräte & Dienste hinzu.","card.device":"Maske","status.ready":"Bereit","status.idle":"untätig","status.armed":"Drücke die Taste der Maske, um zu beginnen (noch {left})","status.armed_no_time":"Drücke die Taste der Maske, um zu beginnen","status.breathing_in":"Einatmen ({breath} von {breaths})","status.breathing_out":"Ausatmen ({breath} von {breaths})","status.running":"{zone}, Schritt {step} von {steps}, Wiederholung {repetition} von {repetitions}","status.running_zone":"{zone}","status.paused":"Pausiert","status.venting":"Entlüften","status.cooling_down":"Pause bis {time}","status.cooling_down_no_time":"Pause zwischen Sitzungen","status.daily_limit_reached":"{sessions} von {cap} Sitzungen heute","status.needs_acknowledgement":"Lies die Gegenanzeigen und schalte dann die Sicherheitsbestätigung ein","status.fault":"Sicherheitsfehler: {fault}. {next_step}","status.fault_zone":"Sicherheitsfehler: {fault}, {zone} bei {pressure} mmHg. {next_step}","status.fault_next_step":"Prüfe die Maske und ihren Sitz und schalte dann die Sicherheitsbestätigung wieder ein.","status.out_of_range":"Außer Reichweite","status.unavailable":"Die Maske ist nicht verfügbar","readiness.ready":"Start ist möglich","readiness.session_active":"Start würde abgelehnt: Es läuft bereits eine Sitzung","readiness.needs_acknowledgement":"Start würde abgelehnt: Die Sicherheitsbestätigung ist aus","readiness.cooling_down":"Start würde abgelehnt: Pause bis {time}","readiness.cooling_down_no_time":"Start würde abgelehnt: Pause zwischen Sitzungen","readiness.daily_limit_reached":"Start würde abgelehnt: {sessions} von {cap} Sitzungen heute","readiness.fault":"Start würde abgelehnt: Ein Sicherheitsfehler ist aktiv","readiness.low_battery":"Start würde abgelehnt: Der Akku ist schwach, lade die Maske","readiness.out_of_range":"Start würde abgelehnt: Die Maske ist außer Reichweite","zone.none":"Keine Zone","zone.face":"Gesicht","zone.forehead":"Stirn","zone.temples":"Schläfen","zone.under_eye":"Unter den Augen","zone.cheeks":"Wangen","zone.jaw":"Kiefer","zone.neck":"Hals","phase.idle":"Untätig","phase.armed":"Startbereit","phase.inflating":"Aufpumpen","phase.holding":"Halten","phase.releasing":"Ablassen","phase.paused":"Pausiert","phase.venting":"Entlüften","phase.fault":"Fehler","pressure.label":"Druck","pressure.of_limit":"{pressure} von {limit} mmHg (Grenze {zone})","pressure.peak":"Spitze {peak} mmHg","pressure.limits":"Grenzen: Gesicht {face}, unter den Augen {under_eye}, Hals {neck} mmHg","pressure.meter":"Druck {pressure} mmHg, Grenze {limit} mmHg","progress.label":"Sitzungsfortschritt","progress.text":"{elapsed} vergangen, noch {left}","progress.planned":"Das Programm dauert {planned} der gewählten {chosen}: es endet, wenn seine Schritte und Wiederholungen fertig sind.","progress.deadline":"Endet, wenn die gewählten {chosen} um sind.","action.start":"Starten","action.stop":"Stoppen","action.vent":"Entlüften","action.failed":"{action} fehlgeschlagen: {message}","control.routine":"Programm","control.target_pressure":"Zieldruck","control.session_duration":"Dauer","control.range":"{min} bis {max} {unit}","ack.label":"Sicherheitsbestätigung","ack.on":"Gegeben","ack.off":"Nicht gegeben","ack.contraindications":"Gegenanzeigen","totals.today":"{sessions} von {cap} Sitzungen heute","totals.total":"Sitzungen insgesamt: {sessions} · Anwendungszeit: {minutes} min","editor.device":"Maske"},Ie={"card.name":"Masque à pression","card.description":"Le masque à pression : zones du visage, pression par rapport à la limite, commandes de séance.","card.no_mask":"Aucun masque à pression trouvé. Ajoutez-en un dans Paramètres > Appareils et services.","card.device":"Masque","status.ready":"Prêt","status.idle":"inactif","status.armed":"Appuyez sur le bouton du masque pour commencer (encore {left})","status.armed_no_time":"Appuyez sur le bouton du masque pour commencer","status.breathing_in":"Inspirez ({breath} sur {breaths})","status.breathing_out":"Expirez ({breath} sur {breaths})","status.running":"{zone}, étape {step} sur {steps}, répétition {repetition} sur {repetitions}","status.running_zone":"{zone}","status.paused":"En pause","status.venting":"Dégonflage","status.cooling_down":"Pause jusqu’à {time}","status.cooling_down_no_time":"Pause entre les séances","status.daily_limit_reached":"{sessions} séances sur {cap} aujourd’hui","status.needs_acknowledgement":"Lisez les contre-indications, puis activez la confirmation de sécurité","status.fault":"Défaut de sécurité : {fault}. {next_step}","status.fault_zone":"Défaut de sécurité : {fault}, {zone} à {pressure} mmHg. {next_step}","status.fault_next_step":"Vérifiez le masque et son ajustement, puis réactivez la confirmation de sécurité.","status.out_of_range":"Hors de portée","status.unavailable":"Le masque n’est pas disponible","readiness.ready":"Le démarrage est possible","readiness.session_active":"Le démarrage serait refusé : une séance est déjà en cours","readiness.needs_acknowledgement":"Le démarrage serait refusé : la confirmation de sécurité est désactivée","readiness.cooling_down":"Le démarrage serait refusé : pause jusqu’à {time}","readiness.cooling_down_no_time":"Le démarrage serait refusé : pause entre les séances","readiness.daily_limit_reached":"Le démarrage serait refusé : {sessions} séances sur {cap} aujourd’hui","readiness.fault":"Le démarrage serait refusé : un défaut de sécurité est actif","readiness.low_battery":"Le démarrage serait refusé : la batterie est faible, rechargez le masque","readiness.out_of_range":"Le démarrage serait refusé : le masque est hors de portée","zone.none":"Aucune zone","zone.face":"Visage","zone.forehead":"Front","zone.temples":"Tempes","zone.under_eye":"Sous les yeux","zone.cheeks":"Joues","zone.jaw":"Mâchoire","zone.neck":"Cou","phase.idle":"Inactif","phase.armed":"Armé","phase.inflating":"Gonflage","phase.holding":"Maintien","phase.releasing":"Relâchement","phase.paused":"En pause","phase.venting":"Dégonflage","phase.fault":"Défaut","pressure.label":"Pression","pressure.of_limit":"{pressure} sur {limit} mmHg (limite {zone})","pressure.peak":"Pic {peak} mmHg","pressure.limits":"Limites : visage {face}, sous les yeux {under_eye}, cou {neck} mmHg","pressure.meter":"Pression {pressure} mmHg, limite {limit} mmHg","progress.label":"Progression de la séance","progress.text":"{elapsed} écoulées, encore {left}","progress.planned":"Le programme dure {planned} sur les {chosen} choisies : il se termine quand ses étapes et répétitions sont faites.","progress.deadline":"Se termine à la fin des {chosen} choisies.","action.start":"Démarrer","action.stop":"Arrêter","action.vent":"Dégonfler","action.failed":"Échec de « {action} » : {message}","control.routine":"Programme","control.target_pressure":"Pression cible","control.session_duration":"Durée","control.range":"{min} à {max} {unit}","ack.label":"Confirmation de sécurité","ack.on":"Donnée","ack.off":"Non donnée","ack.contraindications":"Contre-indications","totals.today":"{sessions} séances sur {cap} aujourd’hui","totals.total":"Séances au total : {sessions} · durée de soin : {minutes} min","editor.device":"Masque"},Ve={"card.name":"Mascarilla de presión","card.description":"La mascarilla de presión: zonas de la cara, presión frente al límite, controles de la sesión.","card.no_mask":"No se encontró ninguna mascarilla de presión. Añade una en Configuración > Dispositivos y servicios.","card.device":"Mascarilla","status.ready":"Lista","status.idle":"inactiva","status.armed":"Pulsa el botón de la mascarilla para empezar (quedan {left})","status.armed_no_time":"Pulsa el botón de la mascarilla para empezar","status.breathing_in":"Inspira ({breath} de {breaths})","status.breathing_out":"Espira ({breath} de {breaths})","status.running":"{zone}, paso {step} de {steps}, repetición {repetition} de {repetitions}","status.running_zone":"{zone}","status.paused":"En pausa","status.venting":"Desinflando","status.cooling_down":"Pausa hasta las {time}","status.cooling_down_no_time":"Pausa entre sesiones","status.daily_limit_reached":"{sessions} de {cap} sesiones hoy","status.needs_acknowledgement":"Lee las contraindicaciones y después activa la confirmación de seguridad","status.fault":"Fallo de seguridad: {fault}. {next_step}","status.fault_zone":"Fallo de seguridad: {fault}, {zone} a {pressure} mmHg. {next_step}","status.fault_next_step":"Revisa la mascarilla y su ajuste, y después vuelve a activar la confirmación de seguridad.","status.out_of_range":"Fuera de alcance","status.unavailable":"La mascarilla no está disponible","readiness.ready":"Se puede iniciar","readiness.session_active":"El inicio se rechazaría: ya hay una sesión en marcha","readiness.needs_acknowledgement":"El inicio se rechazaría: la confirmación de seguridad está desactivada","readiness.cooling_down":"El inicio se rechazaría: pausa hasta las {time}","readiness.cooling_down_no_time":"El inicio se rechazaría: pausa entre sesiones","readiness.daily_limit_reached":"El inicio se rechazaría: {sessions} de {cap} sesiones hoy","readiness.fault":"El inicio se rechazaría: hay un fallo de seguridad activo","readiness.low_battery":"El inicio se rechazaría: la batería está baja, carga la mascarilla","readiness.out_of_range":"El inicio se rechazaría: la mascarilla está fuera de alcance","zone.none":"Ninguna zona","zone.face":"Cara","zone.forehead":"Frente","zone.temples":"Sienes","zone.under_eye":"Bajo los ojos","zone.cheeks":"Mejillas","zone.jaw":"Mandíbula","zone.neck":"Cuello","phase.idle":"Inactiva","phase.armed":"Preparada","phase.inflating":"Inflando","phase.holding":"Manteniendo","phase.releasing":"Soltando","phase.paused":"En pausa","phase.venting":"Desinflando","phase.fault":"Fallo","pressure.label":"Presión","pressure.of_limit":"{pressure} de {limit} mmHg (límite de {zone})","pressure.peak":"Pico {peak} mmHg","pressure.limits":"Límites: cara {face}, bajo los ojos {under_eye}, cuello {neck} mmHg","pressure.meter":"Presión {pressure} mmHg, límite {limit} mmHg","progress.label":"Progreso de la sesión","progress.text":"{elapsed} transcurrido, quedan {left}","progress.planned":"La rutina dura {planned} de los {chosen} elegidos: termina cuando acaban sus pasos y repeticiones.","progress.deadline":"Termina cuando se cumplen los {chosen} elegidos.","action.start":"Iniciar","action.stop":"Detener","action.vent":"Desinflar","action.failed":"No se pudo completar «{action}»: {message}","control.routine":"Rutina","control.target_pressure":"Presión objetivo","control.session_duration":"Duración","control.range":"De {min} a {max} {unit}","ack.label":"Confirmación de seguridad","ack.on":"Dada","ack.off":"No dada","ack.contraindications":"Contraindicaciones","totals.today":"{sessions} de {cap} sesiones hoy","totals.total":"Sesiones en total: {sessions} · tiempo de terapia: {minutes} min","editor.device":"Mascarilla"},Ke={"card.name":"Maschera a pressione","card.description":"La maschera a pressione: zone del viso, pressione rispetto al limite, comandi della sessione.","card.no_mask":"Nessuna maschera a pressione trovata. Aggiungine una in Impostazioni > Dispositivi e servizi.","card.device":"Maschera","status.ready":"Pronta","status.idle":"inattiva","status.armed":"Premi il pulsante della maschera per iniziare (ancora {left})","status.armed_no_time":"Premi il pulsante della maschera per iniziare","status.breathing_in":"Inspira ({breath} di {breaths})","status.breathing_out":"Espira ({breath} di {breaths})","status.running":"{zone}, passo {step} di {steps}, ripetizione {repetition} di {repetitions}","status.running_zone":"{zone}","status.paused":"In pausa","status.venting":"Sgonfiaggio","status.cooling_down":"Pausa fino alle {time}","status.cooling_down_no_time":"Pausa tra le sessioni","status.daily_limit_reached":"{sessions} di {cap} sessioni oggi","status.needs_acknowledgement":"Leggi le controindicazioni, poi attiva la conferma di sicurezza","status.fault":"Guasto di sicurezza: {fault}. {next_step}","status.fault_zone":"Guasto di sicurezza: {fault}, {zone} a {pressure} mmHg. {next_step}","status.fault_next_step":"Controlla la maschera e come calza, poi riattiva la conferma di sicurezza.","status.out_of_range":"Fuori portata","status.unavailable":"La maschera non è disponibile","readiness.ready":"L'avvio è possibile","readiness.session_active":"L'avvio verrebbe rifiutato: una sessione è già in corso","readiness.needs_acknowledgement":"L'avvio verrebbe rifiutato: la conferma di sicurezza è disattivata","readiness.cooling_down":"L'avvio verrebbe rifiutato: pausa fino alle {time}","readiness.cooling_down_no_time":"L'avvio verrebbe rifiutato: pausa tra le sessioni","readiness.daily_limit_reached":"L'avvio verrebbe rifiutato: {sessions} di {cap} sessioni oggi","readiness.fault":"L'avvio verrebbe rifiutato: è attivo un guasto di sicurezza","readiness.low_battery":"L'avvio verrebbe rifiutato: la batteria è scarica, ricarica la maschera","readiness.out_of_range":"L'avvio verrebbe rifiutato: la maschera è fuori portata","zone.none":"Nessuna zona","zone.face":"Viso","zone.forehead":"Fronte","zone.temples":"Tempie","zone.under_eye":"Sotto gli occhi","zone.cheeks":"Guance","zone.jaw":"Mandibola","zone.neck":"Collo","phase.idle":"Inattiva","phase.armed":"Armata","phase.inflating":"Gonfiaggio","phase.holding":"Mantenimento","phase.releasing":"Rilascio","phase.paused":"In pausa","phase.venting":"Sgonfiaggio","phase.fault":"Guasto","pressure.label":"Pressione","pressure.of_limit":"{pressure} di {limit} mmHg (limite {zone})","pressure.peak":"Picco {peak} mmHg","pressure.limits":"Limiti: viso {face}, sotto gli occhi {under_eye}, collo {neck} mmHg","pressure.meter":"Pressione {pressure} mmHg, limite {limit} mmHg","progress.label":"Avanzamento della sessione","progress.text":"{elapsed} trascorsi, ancora {left}","progress.planned":"Il programma dura {planned} dei {chosen} scelti: finisce quando i suoi passi e ripetizioni sono completati.","progress.deadline":"Finisce allo scadere dei {chosen} scelti.","action.start":"Avvia","action.stop":"Arresta","action.vent":"Sgonfia","action.failed":"{action} non riuscito: {message}","control.routine":"Programma","control.target_pressure":"Pressione obiettivo","control.session_duration":"Durata","control.range":"Da {min} a {max} {unit}","ack.label":"Conferma di sicurezza","ack.on":"Fornita","ack.off":"Non fornita","ack.contraindications":"Controindicazioni","totals.today":"{sessions} di {cap} sessioni oggi","totals.total":"Sessioni in totale: {sessions} · tempo di trattamento: {minutes} min","editor.device":"Maschera"},Ge={"card.name":"Drukmasker","card.description":"Het drukmasker: gezichtszones, druk ten opzichte van de grens, sessiebediening.","card.no_mask":"Geen drukmasker gevonden. Voeg er een toe via Instellingen > Apparaten & diensten.","card.device":"Masker","status.ready":"Gereed","status.idle":"inactief","status.armed":"Druk op de knop van het masker om te beginnen (nog {left})","status.armed_no_time":"Druk op de knop van het masker om te beginnen","status.breathing_in":"Adem in ({breath} van {breaths})","status.breathing_out":"Adem uit ({breath} van {breaths})","status.running":"{zone}, stap {step} van {steps}, herhaling {repetition} van {repetitions}","status.running_zone":"{zone}","status.paused":"Gepauzeerd","status.venting":"Ontluchten","status.cooling_down":"Pauze tot {time}","status.cooling_down_no_time":"Pauze tussen sessies","status.daily_limit_reached":"{sessions} van {cap} sessies vandaag","status.needs_acknowledgement":"Lees de contra-indicaties en zet daarna de veiligheidsbevestiging aan","status.fault":"Veiligheidsstoring: {fault}. {next_step}","status.fault_zone":"Veiligheidsstoring: {fault}, {zone} bij {pressure} mmHg. {next_step}","status.fault_next_step":"Controleer het masker en hoe het zit, en zet daarna de veiligheidsbevestiging weer aan.","status.out_of_range":"Buiten bereik","status.unavailable":"Het masker is niet beschikbaar","readiness.ready":"Starten is mogelijk","readiness.session_active":"Starten zou worden geweigerd: er loopt al een sessie","readiness.needs_acknowledgement":"Starten zou worden geweigerd: de veiligheidsbevestiging staat uit","readiness.cooling_down":"Starten zou worden geweigerd: pauze tot {time}","readiness.cooling_down_no_time":"Starten zou worden geweigerd: pauze tussen sessies","readiness.daily_limit_reached":"Starten zou worden geweigerd: {sessions} van {cap} sessies vandaag","readiness.fault":"Starten zou worden geweigerd: er is een veiligheidsstoring actief","readiness.low_battery":"Starten zou worden geweigerd: de batterij is bijna leeg, laad het masker op","readiness.out_of_range":"Starten zou worden geweigerd: het masker is buiten bereik","zone.none":"Geen zone","zone.face":"Gezicht","zone.forehead":"Voorhoofd","zone.temples":"Slapen","zone.under_eye":"Onder de ogen","zone.cheeks":"Wangen","zone.jaw":"Kaak","zone.neck":"Hals","phase.idle":"Inactief","phase.armed":"Startklaar","phase.inflating":"Opblazen","phase.holding":"Vasthouden","phase.releasing":"Loslaten","phase.paused":"Gepauzeerd","phase.venting":"Ontluchten","phase.fault":"Storing","pressure.label":"Druk","pressure.of_limit":"{pressure} van {limit} mmHg (grens {zone})","pressure.peak":"Piek {peak} mmHg","pressure.limits":"Grenzen: gezicht {face}, onder de ogen {under_eye}, hals {neck} mmHg","pressure.meter":"Druk {pressure} mmHg, grens {limit} mmHg","progress.label":"Voortgang van de sessie","progress.text":"{elapsed} verstreken, nog {left}","progress.planned":"Het programma duurt {planned} van de gekozen {chosen}: het eindigt wanneer zijn stappen en herhalingen klaar zijn.","progress.deadline":"Eindigt wanneer de gekozen {chosen} om zijn.","action.start":"Starten","action.stop":"Stoppen","action.vent":"Ontluchten","action.failed":"{action} mislukt: {message}","control.routine":"Programma","control.target_pressure":"Doeldruk","control.session_duration":"Duur","control.range":"{min} tot {max} {unit}","ack.label":"Veiligheidsbevestiging","ack.on":"Gegeven","ack.off":"Niet gegeven","ack.contraindications":"Contra-indicaties","totals.today":"{sessions} van {cap} sessies vandaag","totals.total":"Sessies in totaal: {sessions} · behandeltijd: {minutes} min","editor.device":"Masker"},Fe={"card.name":"Maska uciskowa","card.description":"Maska uciskowa: strefy twarzy, ciśnienie względem limitu, sterowanie sesją.","card.no_mask":"Nie znaleziono maski uciskowej. Dodaj ją w Ustawienia > Urządzenia oraz usługi.","card.device":"Maska","status.ready":"Gotowa","status.idle":"bezczynna","status.armed":"Naciśnij przycisk maski, aby rozpocząć (zostało {left})","status.armed_no_time":"Naciśnij przycisk maski, aby rozpocząć","status.breathing_in":"Wdech ({breath} z {breaths})","status.breathing_out":"Wydech ({breath} z {breaths})","status.running":"{zone}, krok {step} z {steps}, powtórzenie {repetition} z {repetitions}","status.running_zone":"{zone}","status.paused":"Wstrzymana","status.venting":"Odpowietrzanie","status.cooling_down":"Przerwa do {time}","status.cooling_down_no_time":"Przerwa między sesjami","status.daily_limit_reached":"Sesje dzisiaj: {sessions} z {cap}","status.needs_acknowledgement":"Przeczytaj przeciwwskazania, a następnie włącz potwierdzenie bezpieczeństwa","status.fault":"Usterka bezpieczeństwa: {fault}. {next_step}","status.fault_zone":"Usterka bezpieczeństwa: {fault}, {zone} przy {pressure} mmHg. {next_step}","status.fault_next_step":"Sprawdź maskę i jej dopasowanie, a następnie ponownie włącz potwierdzenie bezpieczeństwa.","status.out_of_range":"Poza zasięgiem","status.unavailable":"Maska jest niedostępna","readiness.ready":"Start jest możliwy","readiness.session_active":"Start zostałby odrzucony: sesja już trwa","readiness.needs_acknowledgement":"Start zostałby odrzucony: potwierdzenie bezpieczeństwa jest wyłączone","readiness.cooling_down":"Start zostałby odrzucony: przerwa do {time}","readiness.cooling_down_no_time":"Start zostałby odrzucony: przerwa między sesjami","readiness.daily_limit_reached":"Start zostałby odrzucony: sesje dzisiaj: {sessions} z {cap}","readiness.fault":"Start zostałby odrzucony: aktywna jest usterka bezpieczeństwa","readiness.low_battery":"Start zostałby odrzucony: bateria jest słaba, naładuj maskę","readiness.out_of_range":"Start zostałby odrzucony: maska jest poza zasięgiem","zone.none":"Brak strefy","zone.face":"Twarz","zone.forehead":"Czoło","zone.temples":"Skronie","zone.under_eye":"Pod oczami","zone.cheeks":"Policzki","zone.jaw":"Żuchwa","zone.neck":"Szyja","phase.idle":"Bezczynna","phase.armed":"Przygotowana","phase.inflating":"Napełnianie","phase.holding":"Utrzymywanie","phase.releasing":"Zwalnianie","phase.paused":"Wstrzymana","phase.venting":"Odpowietrzanie","phase.fault":"Usterka","pressure.label":"Ciśnienie","pressure.of_limit":"{pressure} z {limit} mmHg (limit: {zone})","pressure.peak":"Szczyt {peak} mmHg","pressure.limits":"Limity: twarz {face}, pod oczami {under_eye}, szyja {neck} mmHg","pressure.meter":"Ciśnienie {pressure} mmHg, limit {limit} mmHg","progress.label":"Postęp sesji","progress.text":"Upłynęło {elapsed}, zostało {left}","progress.planned":"Program trwa {planned} z wybranych {chosen}: kończy się, gdy wykona wszystkie kroki i powtórzenia.","progress.deadline":"Kończy się po upływie wybranych {chosen}.","action.start":"Start","action.stop":"Zatrzymaj","action.vent":"Odpowietrz","action.failed":"Akcja „{action}” nie powiodła się: {message}","control.routine":"Program","control.target_pressure":"Ciśnienie docelowe","control.session_duration":"Czas trwania","control.range":"Od {min} do {max} {unit}","ack.label":"Potwierdzenie bezpieczeństwa","ack.on":"Udzielone","ack.off":"Nieudzielone","ack.contraindications":"Przeciwwskazania","totals.today":"Sesje dzisiaj: {sessions} z {cap}","totals.total":"Sesje łącznie: {sessions} · czas terapii: {minutes} min","editor.device":"Maska"},qe={"card.name":"Máscara de pressão","card.description":"A máscara de pressão: zonas do rosto, pressão em relação ao limite, controles da sessão.","card.no_mask":"Nenhuma máscara de pressão encontrada. Adicione uma em Configurações > Dispositivos e serviços.","card.device":"Máscara","status.ready":"Pronta","status.idle":"ociosa","status.armed":"Pressione o botão da máscara para começar (faltam {left})","status.armed_no_time":"Pressione o botão da máscara para começar","status.breathing_in":"Inspire ({breath} de {breaths})","status.breathing_out":"Expire ({breath} de {breaths})","status.running":"{zone}, etapa {step} de {steps}, repetição {repetition} de {repetitions}","status.running_zone":"{zone}","status.paused":"Pausada","status.venting":"Esvaziando","status.cooling_down":"Pausa até {time}","status.cooling_down_no_time":"Pausa entre sessões","status.daily_limit_reached":"{sessions} de {cap} sessões hoje","status.needs_acknowledgement":"Leia as contraindicações e depois ligue a confirmação de segurança","status.fault":"Falha de segurança: {fault}. {next_step}","status.fault_zone":"Falha de segurança: {fault}, {zone} a {pressure} mmHg. {next_step}","status.fault_next_step":"Verifique a máscara e o ajuste dela e depois ligue a confirmação de segurança novamente.","status.out_of_range":"Fora de alcance","status.unavailable":"A máscara não está disponível","readiness.ready":"É possível iniciar","readiness.session_active":"O início seria recusado: uma sessão já está em andamento","readiness.needs_acknowledgement":"O início seria recusado: a confirmação de segurança está desligada","readiness.cooling_down":"O início seria recusado: pausa até {time}","readiness.cooling_down_no_time":"O início seria recusado: pausa entre sessões","readiness.daily_limit_reached":"O início seria recusado: {sessions} de {cap} sessões hoje","readiness.fault":"O início seria recusado: há uma falha de segurança ativa","readiness.low_battery":"O início seria recusado: a bateria está fraca, carregue a máscara","readiness.out_of_range":"O início seria recusado: a máscara está fora de alcance","zone.none":"Nenhuma zona","zone.face":"Rosto","zone.forehead":"Testa","zone.temples":"Têmporas","zone.under_eye":"Sob os olhos","zone.cheeks":"Bochechas","zone.jaw":"Mandíbula","zone.neck":"Pescoço","phase.idle":"Ociosa","phase.armed":"Armada","phase.inflating":"Inflando","phase.holding":"Mantendo","phase.releasing":"Soltando","phase.paused":"Pausada","phase.venting":"Esvaziando","phase.fault":"Falha","pressure.label":"Pressão","pressure.of_limit":"{pressure} de {limit} mmHg (limite de {zone})","pressure.peak":"Pico {peak} mmHg","pressure.limits":"Limites: rosto {face}, sob os olhos {under_eye}, pescoço {neck} mmHg","pressure.meter":"Pressão {pressure} mmHg, limite {limit} mmHg","progress.label":"Progresso da sessão","progress.text":"{elapsed} decorridos, faltam {left}","progress.planned":"A rotina dura {planned} dos {chosen} escolhidos: termina quando seus passos e repetições acabam.","progress.deadline":"Termina quando os {chosen} escolhidos acabarem.","action.start":"Iniciar","action.stop":"Parar","action.vent":"Esvaziar","action.failed":'Falha em "{action}": {message}',"control.routine":"Rotina","control.target_pressure":"Pressão alvo","control.session_duration":"Duração","control.range":"De {min} a {max} {unit}","ack.label":"Confirmação de segurança","ack.on":"Dada","ack.off":"Não dada","ack.contraindications":"Contraindicações","totals.today":"{sessions} de {cap} sessões hoje","totals.total":"Sessões no total: {sessions} · tempo de terapia: {minutes} min","editor.device":"Máscara"},Be={"card.name":"Tryckmask","card.description":"Tryckmasken: ansiktszoner, tryck i förhållande till gränsen, styrning av sessionen.","card.no_mask":"Ingen tryckmask hittades. Lägg till en under Inställningar > Enheter och tjänster.","card.device":"Mask","status.ready":"Redo","status.idle":"inaktiv","status.armed":"Tryck på maskens knapp för att börja ({left} kvar)","status.armed_no_time":"Tryck på maskens knapp för att börja","status.breathing_in":"Andas in ({breath} av {breaths})","status.breathing_out":"Andas ut ({breath} av {breaths})","status.running":"{zone}, steg {step} av {steps}, upprepning {repetition} av {repetitions}","status.running_zone":"{zone}","status.paused":"Pausad","status.venting":"Släpper ut luft","status.cooling_down":"Paus till {time}","status.cooling_down_no_time":"Paus mellan sessioner","status.daily_limit_reached":"{sessions} av {cap} sessioner i dag","status.needs_acknowledgement":"Läs kontraindikationerna och slå sedan på säkerhetsbekräftelsen","status.fault":"Säkerhetsfel: {fault}. {next_step}","status.fault_zone":"Säkerhetsfel: {fault}, {zone} vid {pressure} mmHg. {next_step}","status.fault_next_step":"Kontrollera masken och hur den sitter, och slå sedan på säkerhetsbekräftelsen igen.","status.out_of_range":"Utom räckhåll","status.unavailable":"Masken är inte tillgänglig","readiness.ready":"Start är möjlig","readiness.session_active":"Start skulle nekas: en session pågår redan","readiness.needs_acknowledgement":"Start skulle nekas: säkerhetsbekräftelsen är av","readiness.cooling_down":"Start skulle nekas: paus till {time}","readiness.cooling_down_no_time":"Start skulle nekas: paus mellan sessioner","readiness.daily_limit_reached":"Start skulle nekas: {sessions} av {cap} sessioner i dag","readiness.fault":"Start skulle nekas: ett säkerhetsfel är aktivt","readiness.low_battery":"Start skulle nekas: batteriet är svagt, ladda masken","readiness.out_of_range":"Start skulle nekas: masken är utom räckhåll","zone.none":"Ingen zon","zone.face":"Ansikte","zone.forehead":"Panna","zone.temples":"Tinningar","zone.under_eye":"Under ögonen","zone.cheeks":"Kinder","zone.jaw":"Käke","zone.neck":"Hals","phase.idle":"Inaktiv","phase.armed":"Startklar","phase.inflating":"Fyller","phase.holding":"Håller","phase.releasing":"Släpper","phase.paused":"Pausad","phase.venting":"Släpper ut luft","phase.fault":"Fel","pressure.label":"Tryck","pressure.of_limit":"{pressure} av {limit} mmHg (gräns {zone})","pressure.peak":"Topp {peak} mmHg","pressure.limits":"Gränser: ansikte {face}, under ögonen {under_eye}, hals {neck} mmHg","pressure.meter":"Tryck {pressure} mmHg, gräns {limit} mmHg","progress.label":"Sessionens förlopp","progress.text":"{elapsed} har gått, {left} kvar","progress.planned":"Programmet tar {planned} av de {chosen} du valde: det slutar när dess steg och upprepningar är klara.","progress.deadline":"Slutar när de {chosen} du valde har gått.","action.start":"Starta","action.stop":"Stoppa","action.vent":"Släpp ut luft","action.failed":"{action} misslyckades: {message}","control.routine":"Program","control.target_pressure":"Måltryck","control.session_duration":"Varaktighet","control.range":"{min} till {max} {unit}","ack.label":"Säkerhetsbekräftelse","ack.on":"Given","ack.off":"Inte given","ack.contraindications":"Kontraindikationer","totals.today":"{sessions} av {cap} sessioner i dag","totals.total":"Sessioner totalt: {sessions} · behandlingstid: {minutes} min","editor.device":"Mask"};var oe={"card.name":"Pressure mask","card.description":"The pressure mask: face zones, pressure against the limit, session controls.","card.no_mask":"No pressure mask found. Add one in Settings > Devices & services.","card.device":"Mask","status.ready":"Ready","status.idle":"idle","status.armed":"Press the mask's button to begin ({left} left)","status.armed_no_time":"Press the mask's button to begin","status.breathing_in":"Breathe in ({breath} of {breaths})","status.breathing_out":"Breathe out ({breath} of {breaths})","status.running":"{zone}, step {step} of {steps}, repetition {repetition} of {repetitions}","status.running_zone":"{zone}","status.paused":"Paused","status.venting":"Venting","status.cooling_down":"Cooling down until {time}","status.cooling_down_no_time":"Cooling down","status.daily_limit_reached":"{sessions} of {cap} sessions today","status.needs_acknowledgement":"Read the contraindications, then turn on the safety acknowledgement","status.fault":"Safety fault: {fault}. {next_step}","status.fault_zone":"Safety fault: {fault}, {zone} at {pressure} mmHg. {next_step}","status.fault_next_step":"Check the mask and its fit, then turn on the safety acknowledgement again.","status.out_of_range":"Out of range","status.unavailable":"The mask is not available","readiness.ready":"Start is possible","readiness.session_active":"Start would be refused: a session is already running","readiness.needs_acknowledgement":"Start would be refused: the safety acknowledgement is off","readiness.cooling_down":"Start would be refused: cooling down until {time}","readiness.cooling_down_no_time":"Start would be refused: cooling down","readiness.daily_limit_reached":"Start would be refused: {sessions} of {cap} sessions today","readiness.fault":"Start would be refused: a safety fault is active","readiness.low_battery":"Start would be refused: the battery is low, charge the mask","readiness.out_of_range":"Start would be refused: the mask is out of range","zone.none":"No zone","zone.face":"Face","zone.forehead":"Forehead","zone.temples":"Temples","zone.under_eye":"Under-eye","zone.cheeks":"Cheeks","zone.jaw":"Jaw","zone.neck":"Neck","phase.idle":"Idle","phase.armed":"Armed","phase.inflating":"Inflating","phase.holding":"Holding","phase.releasing":"Releasing","phase.paused":"Paused","phase.venting":"Venting","phase.fault":"Fault","pressure.label":"Pressure","pressure.of_limit":"{pressure} of {limit} mmHg ({zone} limit)","pressure.peak":"Peak {peak} mmHg","pressure.limits":"Limits: face {face}, under-eye {under_eye}, neck {neck} mmHg","pressure.meter":"Pressure {pressure} mmHg, limit {limit} mmHg","progress.label":"Session progress","progress.text":"{elapsed} elapsed, {left} left","progress.planned":"The routine takes {planned} of the {chosen} you chose: it ends when its steps and repetitions are done.","progress.deadline":"Ends when the {chosen} you chose are up.","action.start":"Start","action.stop":"Stop","action.vent":"Vent","action.failed":"{action} failed: {message}","control.routine":"Routine","control.target_pressure":"Target pressure","control.session_duration":"Duration","control.range":"{min} to {max} {unit}","ack.label":"Safety acknowledgement","ack.on":"Given","ack.off":"Not given","ack.contraindications":"Contraindications","totals.today":"{sessions} of {cap} sessions today","totals.total":"Sessions in total: {sessions} · therapy time: {minutes} min","editor.device":"Mask"},Ze={en:oe,de:Ue,fr:Ie,es:Ve,it:Ke,nl:Ge,pl:Fe,"pt-BR":qe,sv:Be};function D(n){let e=n??"en",t=Ze[e]??Ze[e.split("-")[0]]??oe;return(s,a={})=>(t[s]??oe[s]).replace(/\{(\w+)\}/g,(i,r)=>r in a?String(a[r]):i)}var ft="0.1.0",O="pressure-mask-card",_t={start:"start_session",stop:"stop_session",vent:"vent"},bt="https://github.com/pressure-mask/pressure_mask/blob/main/docs/safety.md#who-should-not-use-the-mask",R=class extends v{constructor(){super(),this._now=new Date,this._drafts={}}static getStubConfig(e){let t=re(e)[0];return t?{type:`custom:${O}`,device:t.deviceId}:{type:`custom:${O}`}}static getConfigForm(){return{schema:[{name:"device",selector:{device:{integration:ie}}}],computeLabel:()=>D(navigator.language)("editor.device")}}setConfig(e){if(!e||typeof e!="object")throw new Error("Invalid configuration");this._config=e}getCardSize(){return 9}getGridOptions(){return{columns:12,min_columns:6,rows:"auto"}}connectedCallback(){super.connectedCallback(),this._timer=setInterval(()=>this._now=new Date,1e3)}disconnectedCallback(){super.disconnectedCallback(),clearInterval(this._timer)}shouldUpdate(e){if(!e.has("hass")||e.size>1)return!0;let t=e.get("hass"),s=this._mask();return!t||!s||t.language!==this.hass?.language||t.themes!==this.hass?.themes?!0:Object.values(s.entities).some(a=>t.states[a]!==this.hass?.states[a])}willUpdate(){let e=this._mask(),t=e?this._state(e,"status")?.state:void 0;t!==this._lastStatus&&(this._lastStatus!==void 0&&(this._error=void 0),this._lastStatus=t)}_mask(){return this.hass?xe(this.hass,this._config?.device):void 0}_t(){return D(this.hass?.locale?.language??this.hass?.language)}_context(){let e=this.hass?.locale?.language??this.hass?.language??"en",t=this.hass?.locale?.time_zone==="local"?void 0:this.hass?.config?.time_zone;return{t:this._t(),language:e,timeZone:t,now:this._now}}_state(e,t){let s=e.entities[t];return s?this.hass?.states[s]:void 0}async _call(e,t,s,a){if(this.hass){this._error=void 0;try{await this.hass.callService(t,s,a,void 0,!1)}catch(i){this._error=this._t()("action.failed",{action:e,message:Oe(i)})}}}_press(e,t){let s=e.entities[_t[t]];s&&this._call(this._t()(`action.${t}`),"button","press",{entity_id:s})}render(){let e=this._t(),t=this._mask();if(!this.hass||!t)return m`<ha-card><p class="empty">${e("card.no_mask")}</p></ha-card>`;let s=this._context(),a=Ce(this.hass,t),i=Le(a,s),r=Ne(a,s),c=a.status==="breathing"?a.statusAttributes.breathing_phase==="out"?"out":"in":void 0,o=a.status==="running"?G(a.zone):void 0,l=o&&a.phase?e(`phase.${a.phase}`):void 0;return m`<ha-card>
      <div class="header">
        <h2 class="name">${t.name}</h2>
        ${this._renderAcknowledgementChip(a,e)}
      </div>
      <div class="body">
        <figure class="face-figure">
          ${Ee(o,a.phase,c)}
          <figcaption aria-hidden="true">
            ${o?m`${e(`zone.${o}`)}${l?m` · ${l}`:d}`:d}
          </figcaption>
        </figure>
        <div class="info">
          <p class="status tone-${i.tone}" role="status" aria-live="polite" data-testid="status">
            ${i.text}
          </p>
          ${this._renderMeter(a,e)} ${this._renderProgress(a,e)}
        </div>
      </div>
      ${r?m`<p id="readiness" class="readiness tone-${r.tone}" data-testid="readiness">
            ${r.text}
          </p>`:d}
      ${this._error?m`<p class="error" role="alert" data-testid="error">${this._error}</p>`:d}
      <div class="actions">
        <button
          class="start"
          aria-describedby=${r?"readiness":d}
          @click=${()=>this._press(t,"start")}
        >
          ${e("action.start")}
        </button>
        <button class="stop" @click=${()=>this._press(t,"stop")}>${e("action.stop")}</button>
        <button class="vent" @click=${()=>this._press(t,"vent")}>${e("action.vent")}</button>
      </div>
      <div class="controls">
        ${this._renderRoutine(t,e)} ${this._renderNumber(t,"target_pressure",e)}
        ${this._renderNumber(t,"session_duration",e)}
      </div>
      ${this._renderAcknowledgement(t,a,e)} ${this._renderTotals(a,e)}
    </ha-card>`}_renderAcknowledgementChip(e,t){return e.acknowledged===void 0?d:m`<span class="chip ${e.acknowledged?"on":"off"}">
      ${t("ack.label")}: ${t(e.acknowledged?"ack.on":"ack.off")}
    </span>`}_renderMeter(e,t){let s=je(e);if(!s)return d;let a=Math.round(e.pressure??0),i=t(`zone.${Me(e.zone)==="face_limit"?"face":G(e.zone)}`),r=e.limits;return m`<div class="meter-block">
      <div
        class="meter band-${s.band}"
        role="meter"
        aria-label=${t("pressure.label")}
        aria-valuemin="0"
        aria-valuemax=${s.limit}
        aria-valuenow=${a}
        aria-valuetext=${t("pressure.meter",{pressure:a,limit:s.limit})}
      >
        <div class="fill" style="width: ${(s.fraction*100).toFixed(1)}%"></div>
        ${e.target!==void 0&&e.target<s.limit?m`<div class="target" style="left: ${(e.target/s.limit*100).toFixed(1)}%"></div>`:d}
      </div>
      <p class="meter-text">
        <span data-testid="pressure">${t("pressure.of_limit",{pressure:a,limit:s.limit,zone:i})}</span>
        ${e.peak!==void 0?m`<span class="peak">${t("pressure.peak",{peak:Math.round(e.peak)})}</span>`:d}
      </p>
      ${r.face!==void 0&&r.under_eye!==void 0&&r.neck!==void 0?m`<p class="limits">
            ${t("pressure.limits",{face:r.face,under_eye:r.under_eye,neck:r.neck})}
          </p>`:d}
    </div>`}_renderProgress(e,t){let s=De(e);if(!s)return d;let a=t("progress.text",{elapsed:E(s.elapsedS),left:E(s.remainingS)});return m`<div class="progress-block">
      <div
        class="progress"
        role="progressbar"
        aria-label=${t("progress.label")}
        aria-valuemin="0"
        aria-valuemax="100"
        aria-valuenow=${Math.round(s.fraction*100)}
        aria-valuetext=${a}
      >
        <div class="fill" style="width: ${(s.fraction*100).toFixed(1)}%"></div>
      </div>
      <p class="progress-text" data-testid="progress">${a}</p>
      ${s.planned?m`<p class="progress-text" data-testid="planned">${Re(s.planned,t)}</p>`:d}
    </div>`}_renderRoutine(e,t){let s=this._state(e,"routine");if(!s)return d;let a=s.attributes.options??[],i=r=>this.hass?.formatEntityState?.(s,r)??r;return m`<label class="control">
      <span class="control-name">${t("control.routine")}</span>
      <select
        .value=${s.state}
        ?disabled=${s.state==="unavailable"}
        @change=${r=>this._call(t("control.routine"),"select","select_option",{entity_id:s.entity_id,option:r.target.value})}
      >
        ${a.map(r=>m`<option value=${r} ?selected=${r===s.state}>${i(r)}</option>`)}
      </select>
    </label>`}_renderNumber(e,t,s){let a=this._state(e,t);if(!a)return d;let i=a.attributes,r=h(i.min)??0,c=h(i.max)??100,o=h(i.step)??1,l=String(i.unit_of_measurement??""),p=this._drafts[t]??h(a.state),u=s(`control.${t}`),f=s("control.range",{min:r,max:c,unit:l});return m`<label class="control">
      <span class="control-name">${u}</span>
      <span class="control-value">${p??"–"} ${l}</span>
      <input
        type="range"
        min=${r}
        max=${c}
        step=${o}
        .value=${String(p??r)}
        aria-valuetext="${p??""} ${l}"
        ?disabled=${p===void 0}
        @input=${g=>{this._drafts={...this._drafts,[t]:Number(g.target.value)}}}
        @change=${async g=>{await this._call(u,"number","set_value",{entity_id:a.entity_id,value:Number(g.target.value)});let{[t]:P,...We}=this._drafts;this._drafts=We}}
      />
      <span class="control-range">${f}</span>
    </label>`}_renderAcknowledgement(e,t,s){let a=e.entities.safety_acknowledgement;if(!a)return d;let i=this.hass?.states[a]?.attributes.friendly_name;return m`<div class="ack">
      <button
        class="toggle ${t.acknowledged?"on":"off"}"
        role="switch"
        aria-checked=${t.acknowledged?"true":"false"}
        aria-label=${s("ack.label")}
        title=${typeof i=="string"?i:s("ack.label")}
        @click=${()=>this._call(s("ack.label"),"switch",t.acknowledged?"turn_off":"turn_on",{entity_id:a})}
      >
        <span class="knob"></span>
      </button>
      <span class="ack-text">${s("ack.label")}: ${s(t.acknowledged?"ack.on":"ack.off")}</span>
      <a href=${bt} target="_blank" rel="noreferrer">${s("ack.contraindications")}</a>
    </div>`}_renderTotals(e,t){let s=[];if(e.sessionsToday!==void 0&&e.dailyCap!==void 0&&s.push(t("totals.today",{sessions:e.sessionsToday,cap:e.dailyCap})),e.sessionsTotal!==void 0&&e.therapyTimeTotal!==void 0){let a=e.therapyTimeUnit==="s"?e.therapyTimeTotal/60:e.therapyTimeUnit==="h"?e.therapyTimeTotal*60:e.therapyTimeTotal;s.push(t("totals.total",{sessions:e.sessionsTotal,minutes:Math.round(a)}))}return s.length?m`<p class="totals">${s.join(" · ")}</p>`:d}};R.properties={hass:{attribute:!1},_config:{state:!0},_error:{state:!0},_now:{state:!0},_drafts:{state:!0}},R.styles=q`
    :host {
      --pm-active: var(--primary-color);
      --pm-warning: var(--warning-color, #ffa600);
      --pm-error: var(--error-color, #db4437);
      --pm-track: var(--secondary-background-color, #e5e5e5);
    }
    ha-card {
      padding: 16px;
      display: flex;
      flex-direction: column;
      gap: 12px;
      color: var(--primary-text-color);
    }
    .header {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: space-between;
      gap: 8px;
    }
    .name {
      margin: 0;
      font-size: var(--ha-font-size-xl, 20px);
      font-weight: var(--ha-font-weight-normal, 400);
    }
    .chip {
      font-size: var(--ha-font-size-s, 12px);
      padding: 2px 10px;
      border-radius: 12px;
      border: 1px solid var(--divider-color);
    }
    .chip.on {
      color: var(--success-color, #43a047);
      border-color: currentColor;
    }
    .chip.off {
      color: var(--pm-warning);
      border-color: currentColor;
    }
    .body {
      display: flex;
      flex-wrap: wrap;
      gap: 16px;
      align-items: center;
    }
    .face-figure {
      margin: 0;
      flex: 0 0 128px;
      text-align: center;
    }
    .face {
      width: 128px;
      height: auto;
      transition: transform 3s ease-in-out;
    }
    .face.breathing-in {
      transform: scale(1.06);
    }
    .face.breathing-out {
      transform: scale(0.96);
    }
    .face .outline,
    .face .feature {
      fill: none;
      stroke: var(--secondary-text-color);
      stroke-width: 2;
      stroke-linecap: round;
    }
    .face .zone {
      fill: var(--disabled-color, #bdbdbd);
      opacity: 0.35;
      transition: opacity 0.5s, fill 0.5s;
    }
    .face .zone.active {
      fill: var(--pm-active);
      opacity: 0.9;
    }
    .face .zone.active.inflating {
      animation: inflate 1s ease-in-out infinite alternate;
    }
    .face .zone.active.releasing {
      opacity: 0.5;
    }
    @keyframes inflate {
      from {
        opacity: 0.55;
      }
      to {
        opacity: 1;
      }
    }
    @media (prefers-reduced-motion: reduce) {
      .face,
      .face .zone {
        transition: none;
        animation: none !important;
      }
    }
    figcaption {
      min-height: 1.4em;
      color: var(--secondary-text-color);
      font-size: var(--ha-font-size-s, 12px);
    }
    .info {
      flex: 1 1 220px;
      display: flex;
      flex-direction: column;
      gap: 8px;
      min-width: 0;
    }
    .status {
      margin: 0;
      font-size: var(--ha-font-size-l, 16px);
      font-weight: var(--ha-font-weight-medium, 500);
    }
    p {
      margin: 0;
    }
    .tone-active {
      color: var(--pm-active);
    }
    .tone-warning {
      color: var(--pm-warning);
    }
    .tone-error {
      color: var(--pm-error);
    }
    .meter,
    .progress {
      position: relative;
      height: 10px;
      border-radius: 5px;
      background: var(--pm-track);
      overflow: hidden;
    }
    .fill {
      height: 100%;
      background: var(--pm-active);
      transition: width 0.4s;
    }
    .meter.band-above_target .fill {
      background: var(--pm-warning);
    }
    .meter.band-at_limit .fill {
      background: var(--pm-error);
    }
    .target {
      position: absolute;
      top: 0;
      bottom: 0;
      width: 2px;
      background: var(--primary-text-color);
    }
    .meter-text,
    .progress-text,
    .limits,
    .totals,
    .control-range {
      color: var(--secondary-text-color);
      font-size: var(--ha-font-size-s, 13px);
    }
    .meter-text {
      display: flex;
      flex-wrap: wrap;
      justify-content: space-between;
      gap: 4px 12px;
    }
    .readiness {
      font-size: var(--ha-font-size-m, 14px);
    }
    .error {
      color: var(--pm-error);
      border-left: 3px solid var(--pm-error);
      padding-left: 8px;
      overflow-wrap: anywhere;
    }
    .actions {
      display: flex;
      gap: 8px;
    }
    .actions button {
      flex: 1 1 0;
      min-height: 44px;
      border: none;
      border-radius: 8px;
      font: inherit;
      font-weight: var(--ha-font-weight-medium, 500);
      cursor: pointer;
      color: var(--text-primary-color, #fff);
    }
    .actions .start {
      background: var(--primary-color);
    }
    .actions .stop {
      background: var(--pm-error);
    }
    .actions .vent {
      background: var(--pm-warning);
      color: var(--primary-text-color);
    }
    button:focus-visible,
    select:focus-visible,
    input:focus-visible,
    a:focus-visible {
      outline: 2px solid var(--primary-color);
      outline-offset: 2px;
    }
    .controls {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(180px, 1fr));
      gap: 12px;
    }
    .control {
      display: grid;
      grid-template-columns: 1fr auto;
      gap: 2px 8px;
      align-items: center;
    }
    .control select,
    .control input,
    .control-range {
      grid-column: 1 / -1;
    }
    .control-value {
      font-weight: var(--ha-font-weight-medium, 500);
    }
    select {
      font: inherit;
      padding: 6px;
      border-radius: 6px;
      border: 1px solid var(--divider-color);
      background: var(--card-background-color, var(--ha-card-background));
      color: var(--primary-text-color);
    }
    input[type="range"] {
      width: 100%;
      accent-color: var(--primary-color);
    }
    .ack {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px;
      border-top: 1px solid var(--divider-color);
      padding-top: 12px;
    }
    .ack-text {
      flex: 1 1 auto;
    }
    a {
      color: var(--primary-color);
    }
    .toggle {
      width: 40px;
      height: 24px;
      border-radius: 12px;
      border: none;
      padding: 2px;
      cursor: pointer;
      background: var(--disabled-color, #bdbdbd);
      display: flex;
    }
    .toggle.on {
      background: var(--primary-color);
      justify-content: flex-end;
    }
    .knob {
      width: 20px;
      height: 20px;
      border-radius: 50%;
      background: var(--card-background-color, #fff);
    }
    .empty {
      color: var(--secondary-text-color);
    }
  `;customElements.get(O)||(customElements.define(O,R),(window.customCards??=[]).push({type:O,name:D(navigator.language)("card.name"),description:D(navigator.language)("card.description"),preview:!0,documentationURL:"https://github.com/pressure-mask/pressure_mask#the-dashboard-card"}),console.info(`%c PRESSURE-MASK-CARD %c ${ft} `,"font-weight: bold",""));export{O as CARD_TYPE,ft as CARD_VERSION,R as PressureMaskCard};
/*! Bundled license information:

@lit/reactive-element/css-tag.js:
  (**
   * @license
   * Copyright 2019 Google LLC
   * SPDX-License-Identifier: BSD-3-Clause
   *)

@lit/reactive-element/reactive-element.js:
lit-html/lit-html.js:
lit-element/lit-element.js:
  (**
   * @license
   * Copyright 2017 Google LLC
   * SPDX-License-Identifier: BSD-3-Clause
   *)

lit-html/is-server.js:
  (**
   * @license
   * Copyright 2022 Google LLC
   * SPDX-License-Identifier: BSD-3-Clause
   *)
*/
